package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1RuleWithOperations;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real local control plane: the webhook runs in-process on 127.0.0.1, is
 * registered through a MutatingWebhookConfiguration (it writes its own CA into the caBundle), and
 * the seed's exact kubectl commands produce pods that the real kube-scheduler binds to a virtual
 * Node.
 *
 * <p>The API server is shared with other tests, so everything is scoped to this run: the
 * configuration only sends pods of namespaces labelled {@code vk4j.io/webhook-it=<run>}; the Node
 * carries that label too and a matching extra taint, and the rules add both to the defaults, so our
 * pods land on our Node only and nobody else's pods land on it.
 */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtualNodeAffinityIT {

  private static final String RUN_LABEL = "vk4j.io/webhook-it";
  private static final String PROVIDER_TAINT = "virtual-kubelet.io/provider";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String SKIP_REASON = "SKIPPED: the local kube-apiserver was built with the reflect2 1.0.1 that"
      + " Kubernetes 1.20 vendors; under Go 1.18+ it crashes (SIGSEGV) on every mutating webhook patch, which would"
      + " take the shared control plane down. Rebuild it with reflect2 1.0.2 (docs/webhook.md).";

  private final TestCluster cluster;
  private final ApiClient client;
  private final CoreV1Api core;
  private final String run;
  private final String nodeName;
  private final String configurationName;
  private final List<String> kubectlNamespaces = new CopyOnWriteArrayList<>();
  private final List<String[]> podsToForceDelete = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService heartbeat;
  private WebhookApp app;
  private String podNamespace;
  private boolean apiServerSurvivesPatches;

  VirtualNodeAffinityIT(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.core = new CoreV1Api(client);
    this.run = cluster.uniqueName("run");
    this.nodeName = cluster.uniqueName("virtual-node-eci");
    this.configurationName = cluster.uniqueName("vk4j-webhook-it");
  }

  @BeforeAll
  void startWebhookAndVirtualNode(@TempDir Path dir) throws Exception {
    apiServerSurvivesPatches = ApiServerBinary.survivesMutatingWebhooks(client.getBasePath());
    if (!apiServerSurvivesPatches) {
      System.err.println(SKIP_REASON);
      return;
    }
    // the default rules, with both "virtual node" ends scoped to this run
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, """
        nodeSelector:
          type: virtual-kubelet
          %1$s: %2$s
        tolerations:
          - {key: virtual-kubelet.io/provider, operator: Exists}
          - {key: %1$s, operator: Exists}
        """.formatted(RUN_LABEL, run), StandardCharsets.UTF_8);
    app = WebhookApp.start(WebhookApp.Settings.builder()
        .server(ServerOptions.builder().bindAddress("127.0.0.1").port(0).workers(2).build())
        .configFile(rules)
        .selfSignedDnsNames(List.of("localhost"))
        .selfSignedIpAddresses(List.of("127.0.0.1"))
        .webhookConfigurationName(configurationName)
        .build(), cluster.client());
    await("namespace cache synced").atMost(PATIENCE).until(app::ready);

    registerWebhook();
    await("CA written into " + configurationName).atMost(PATIENCE).until(app::caInjected);

    registerVirtualNode();
    heartbeat = Executors.newSingleThreadScheduledExecutor();
    heartbeat.scheduleWithFixedDelay(this::renewNode, 5, 5, TimeUnit.SECONDS);

    podNamespace = cluster.createNamespace("vk-webhook");
    kubectl("label", "namespace", podNamespace, RUN_LABEL + "=" + run);
    awaitWebhookSteers(podNamespace, Map.of("eci", "true"));
  }

  @BeforeEach
  void requireAnApiServerThatSurvivesPatches() {
    assumeTrue(apiServerSurvivesPatches, SKIP_REASON);
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
    }
    for (String[] pod : podsToForceDelete) {
      ignoreErrors(() -> core.deleteNamespacedPod(pod[1], pod[0]).gracePeriodSeconds(0).execute());
    }
    ignoreErrors(() -> new AdmissionregistrationV1Api(client).deleteMutatingWebhookConfiguration(configurationName).execute());
    ignoreErrors(() -> core.deleteNode(nodeName).execute());
    ignoreErrors(() -> new CoordinationV1Api(client).deleteNamespacedLease(nodeName, "kube-node-lease").execute());
    for (String namespace : kubectlNamespaces) {
      ignoreErrors(() -> core.deleteNamespace(namespace).execute());
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void podLabelledEciRunsOnTheVirtualNode() throws Exception {
    // kubectl run nginx --image nginx -l eci=true
    kubectl("-n", podNamespace, "run", "nginx", "--image", "nginx", "-l", "eci=true");
    podsToForceDelete.add(new String[] {podNamespace, "nginx"});

    assertSteered(read(podNamespace, "nginx"));
    awaitBoundToVirtualNode(podNamespace, "nginx");
    // kubectl get pod -o wide | grep virtual-node-eci
    assertThat(kubectl("-n", podNamespace, "get", "pod", "-o", "wide").out())
        .containsPattern("nginx\\s.*\\s" + nodeName + "\\s");
  }

  @Test
  void podInALabelledNamespaceRunsOnTheVirtualNode() throws Exception {
    String namespace = cluster.uniqueName("vk");
    // kubectl create ns vk; kubectl label namespace vk virtual-node-affinity-injection=enabled
    kubectl("create", "ns", namespace);
    kubectlNamespaces.add(namespace);
    kubectl("label", "namespace", namespace, "virtual-node-affinity-injection=enabled", RUN_LABEL + "=" + run);
    awaitServiceAccount(namespace);
    awaitWebhookSteers(namespace, Map.of());

    // kubectl -n vk run nginx --image nginx
    kubectl("-n", namespace, "run", "nginx", "--image", "nginx");
    podsToForceDelete.add(new String[] {namespace, "nginx"});

    assertSteered(read(namespace, "nginx"));
    awaitBoundToVirtualNode(namespace, "nginx");
  }

  @Test
  void podWithoutTheLabelInAnUnlabelledNamespaceIsLeftAlone() throws Exception {
    kubectl("-n", podNamespace, "run", "plain", "--image", "nginx");
    podsToForceDelete.add(new String[] {podNamespace, "plain"});

    V1Pod pod = read(podNamespace, "plain");
    assertThat(pod.getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(tolerationKeys(pod)).doesNotContain(PROVIDER_TAINT, RUN_LABEL);
    assertThat(pod.getSpec().getNodeName()).isNotEqualTo(nodeName);
  }

  @Test
  void optOutLabelWins() throws Exception {
    kubectl("-n", podNamespace, "run", "opted-out", "--image", "nginx",
        "-l", "eci=true,virtual-node-affinity-injection=disabled");
    podsToForceDelete.add(new String[] {podNamespace, "opted-out"});

    V1Pod pod = read(podNamespace, "opted-out");
    assertThat(pod.getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(tolerationKeys(pod)).doesNotContain(PROVIDER_TAINT);
  }

  @Test
  void serverSideDryRunIsMutatedAndCreatesNothing() throws Exception {
    Kubectl.Result result = kubectl("-n", podNamespace, "run", "dry", "--image", "nginx", "-l", "eci=true",
        "--dry-run=server", "-o", "json");

    JsonObject spec = JsonParser.parseString(result.out()).getAsJsonObject().getAsJsonObject("spec");
    assertThat(spec.getAsJsonObject("nodeSelector").get("type").getAsString()).isEqualTo("virtual-kubelet");
    assertThat(spec.getAsJsonArray("tolerations").toString()).contains(PROVIDER_TAINT);
    assertThat(kubectl("-n", podNamespace, "get", "pods", "-o", "name").out()).doesNotContain("pod/dry");
  }

  @Test
  void conflictingNodeSelectorIsKeptAndReportedAsAWarning() throws Exception {
    Kubectl.Result result = kubectl("-n", podNamespace, "run", "gpu", "--image", "nginx", "-l", "eci=true",
        "--overrides", "{\"apiVersion\":\"v1\",\"spec\":{\"nodeSelector\":{\"type\":\"gpu\"}}}");
    podsToForceDelete.add(new String[] {podNamespace, "gpu"});

    assertThat(result.err()).contains("Warning: vk-webhook: kept the pod's nodeSelector type=gpu");
    V1Pod pod = read(podNamespace, "gpu");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("type", "gpu");
    assertThat(tolerationKeys(pod)).contains(PROVIDER_TAINT);
  }

  private void assertSteered(V1Pod pod) {
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("type", "virtual-kubelet");
    assertThat(pod.getSpec().getTolerations())
        .anySatisfy(t -> {
          assertThat(t.getKey()).isEqualTo(PROVIDER_TAINT);
          assertThat(t.getOperator()).isEqualTo("Exists");
        });
    assertThat(pod.getSpec().getTolerations()).filteredOn(t -> PROVIDER_TAINT.equals(t.getKey())).hasSize(1);
  }

  private void awaitBoundToVirtualNode(String namespace, String name) {
    await(name + " in " + namespace + " bound to " + nodeName).atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> nodeName.equals(read(namespace, name).getSpec().getNodeName()));
  }

  /**
   * A fresh namespace label reaches the API server's and the webhook's namespace caches a moment
   * later: probe with server-side dry runs until the whole chain steers a pod.
   */
  private void awaitWebhookSteers(String namespace, Map<String, String> labels) {
    V1Pod probe = new V1Pod()
        .metadata(new V1ObjectMeta().generateName("probe-").labels(labels.isEmpty() ? null : labels))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("c").image("nginx"))));
    await("webhook steering pods in " + namespace).atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> {
          V1Pod answer = core.createNamespacedPod(namespace, probe).dryRun("All").execute();
          return answer.getSpec().getNodeSelector() != null
              && "virtual-kubelet".equals(answer.getSpec().getNodeSelector().get("type"));
        });
  }

  private void awaitServiceAccount(String namespace) {
    await("default service account in " + namespace).atMost(PATIENCE).ignoreExceptions()
        .until(() -> core.readNamespacedServiceAccount("default", namespace).execute() != null);
  }

  private void registerWebhook() throws ApiException {
    V1MutatingWebhook webhook = new V1MutatingWebhook()
        .name("virtual-node-affinity.vk4j.io")
        .clientConfig(new AdmissionregistrationV1WebhookClientConfig()
            .url("https://127.0.0.1:" + app.port() + "/mutate"))
        .rules(List.of(new V1RuleWithOperations().operations(List.of("CREATE"))
            .apiGroups(List.of("")).apiVersions(List.of("v1")).resources(List.of("pods"))))
        .namespaceSelector(new V1LabelSelector().matchLabels(Map.of(RUN_LABEL, run)))
        // Fail, not Ignore as in production: a webhook that is not reached must fail the test loudly
        .failurePolicy("Fail")
        .sideEffects("None")
        .timeoutSeconds(5)
        .reinvocationPolicy("IfNeeded")
        .admissionReviewVersions(List.of("v1"));
    new AdmissionregistrationV1Api(client).createMutatingWebhookConfiguration(new V1MutatingWebhookConfiguration()
        .metadata(new V1ObjectMeta().name(configurationName)).webhooks(List.of(webhook))).execute();
  }

  private void registerVirtualNode() throws ApiException {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Quantity> capacity = Map.of("cpu", Quantity.fromString("100"),
        "memory", Quantity.fromString("1000Gi"), "pods", Quantity.fromString("1000"));
    core.createNode(new V1Node()
        .metadata(new V1ObjectMeta().name(nodeName).labels(Map.of(
            "type", "virtual-kubelet", "kubernetes.io/role", "agent", "kubernetes.io/hostname", nodeName,
            RUN_LABEL, run)))
        .spec(new V1NodeSpec().taints(List.of(
            new V1Taint().key(PROVIDER_TAINT).value("fake").effect("NoSchedule"),
            new V1Taint().key(RUN_LABEL).value(run).effect("NoSchedule"))))
        .status(new V1NodeStatus().capacity(capacity).allocatable(capacity)
            .conditions(List.of(readyCondition(now))))).execute();
    new CoordinationV1Api(client).createNamespacedLease("kube-node-lease", new V1Lease()
        .metadata(new V1ObjectMeta().name(nodeName))
        .spec(new V1LeaseSpec().holderIdentity(nodeName).leaseDurationSeconds(40).renewTime(now))).execute();
    // the API server may drop status on create: make sure the node reports Ready
    renewNode();
  }

  /** What a kubelet would do: heartbeat the Ready condition and renew the node Lease. */
  private void renewNode() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    try {
      String time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now);
      String status = """
          {"status":{"capacity":{"cpu":"100","memory":"1000Gi","pods":"1000"},
           "allocatable":{"cpu":"100","memory":"1000Gi","pods":"1000"},
           "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"vk-webhook IT",
                          "lastHeartbeatTime":"%1$s","lastTransitionTime":"%1$s"}]}}""".formatted(time);
      PatchUtils.patch(V1Node.class, () -> core.patchNodeStatus(nodeName, new V1Patch(status)).buildCall(null),
          V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
      CoordinationV1Api coordination = new CoordinationV1Api(client);
      V1Lease lease = coordination.readNamespacedLease(nodeName, "kube-node-lease").execute();
      lease.getSpec().renewTime(now);
      coordination.replaceNamespacedLease(nodeName, "kube-node-lease", lease).execute();
    } catch (ApiException e) {
      System.err.println("node heartbeat failed: " + e.getCode() + " " + e.getResponseBody());
    }
  }

  private static V1NodeCondition readyCondition(OffsetDateTime now) {
    return new V1NodeCondition().type("Ready").status("True").reason("KubeletReady")
        .lastHeartbeatTime(now).lastTransitionTime(now);
  }

  private V1Pod read(String namespace, String name) throws ApiException {
    return core.readNamespacedPod(name, namespace).execute();
  }

  private static List<String> tolerationKeys(V1Pod pod) {
    List<String> keys = new ArrayList<>();
    if (pod.getSpec().getTolerations() != null) {
      for (V1Toleration toleration : pod.getSpec().getTolerations()) {
        keys.add(toleration.getKey());
      }
    }
    return keys;
  }

  /** Runs the real kubectl; a non-zero exit fails the test with its output. */
  private Kubectl.Result kubectl(String... args) {
    Kubectl.Result result = Kubectl.of(cluster.kubeconfig()).run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("kubectl failed (" + result.exitCode() + "): " + List.of(args) + "\n" + result.err());
    }
    return result;
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static void ignoreErrors(Call call) {
    try {
      call.run();
    } catch (Exception e) {
      // best-effort clean-up of a shared cluster
    }
  }
}
