package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kustomize base and overlays of {@code examples/deploy} against the real API server, with kubectl. */
@ExtendWith(KubernetesClusterExtension.class)
class DeployManifestsIT {
  private static final Path DEPLOY = Path.of("deploy").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static List<Object> rendered(Kubectl kubectl, String overlay) throws Exception {
    return Yaml.loadAll(kubectl.run("kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString()).succeeded());
  }

  @Test
  void bothOverlaysAndTheDemoAreAcceptedByTheApiServer(TestCluster cluster) throws Exception {
    Kubectl kubectl = Kubectl.of(cluster.kubeconfig());
    String demoNamespace = cluster.createNamespace("deploy-demo");
    for (String overlay : List.of("eci", "fake")) {
      String applied = kubectl.run("apply", "--dry-run=server", "-k", DEPLOY.resolve("overlays/" + overlay).toString())
          .succeeded();
      assertThat(applied.lines().filter(l -> l.contains("(server dry run)")).count())
          .as("objects of overlay %s: %s", overlay, applied).isEqualTo(10);
    }
    kubectl.run("apply", "--dry-run=server", "-f", DEPLOY.resolve("overlays/eci/eci-credentials.yaml").toString())
        .succeeded();
    kubectl.run("-n", demoNamespace, "apply", "--dry-run=server", "-f", DEPLOY.resolve("demo/nginx.yaml").toString())
        .succeeded();
  }

  @Test
  void theEciStatefulSetNamesEachNodeAfterItsPodAndCarriesTheSeedsSettings(TestCluster cluster) throws Exception {
    V1StatefulSet set = rendered(Kubectl.of(cluster.kubeconfig()), "eci").stream()
        .filter(V1StatefulSet.class::isInstance).map(V1StatefulSet.class::cast).findFirst().orElseThrow();
    V1Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, V1EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(V1EnvVar::getName, v -> v));

    assertThat(set.getMetadata().getName()).isEqualTo("virtual-node-eci");
    assertThat(set.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(env.get("VK_NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(env.get("VKUBELET_POD_IP").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
    assertThat(env).containsKeys("ECI_REGION", "ECI_SECURITY_GROUP", "ECI_VSWITCH", "ECI_KUBE_PROXY", "ECI_CLUSTER_ID");
    assertThat(env.get("ECI_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("virtual-node-eci-credentials");
    assertThat(container.getArgs()).containsSequence("--provider", "eci");
    assertThat(set.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("virtual-node-eci");
    assertThat(set.getSpec().getServiceName()).isEqualTo("virtual-node-eci");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  @Test
  void demoPodHasTheSeedsSelectorAndToleration() throws Exception {
    V1Pod pod = (V1Pod) Yaml.loadAll(DEPLOY.resolve("demo/nginx.yaml").toFile()).get(0);

    assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("type", "virtual-kubelet"));
    assertThat(pod.getSpec().getTolerations()).extracting(V1Toleration::getKey, V1Toleration::getOperator)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "Exists"));
    assertThat(pod.getSpec().getNodeName()).isNull();
  }

  /**
   * {@code kubectl apply -k overlays/fake}, then the node of replica 0 runs with its service account's own
   * token: it registers, heartbeats, runs a pod that reads a Secret and ConfigMaps, records Events, serves
   * {@code kubectl logs} (TokenReview and SubjectAccessReview), completes a graceful deletion, takes part in
   * the cluster sweep, and retires once the StatefulSet no longer has it; and never gets a 403.
   */
  @Test
  void theServiceAccountOfTheManifestsRunsAWholePodLifecycle(TestCluster cluster) throws Exception {
    ApiClient admin = cluster.client();
    CoreV1Api core = new CoreV1Api(admin);
    Kubectl kubectl = Kubectl.of(cluster.kubeconfig());
    String overlay = DEPLOY.resolve("overlays/fake").toString();
    String namespace = cluster.createNamespace("deploy-sa");
    String nodeName = "virtual-node-fake-0";
    VirtualNode node = null;
    try {
      kubectl.run("apply", "-k", overlay).succeeded();
      // the replica itself cannot run here (no real node): this test runs its node in its place
      kubectl.run("-n", "kube-system", "scale", "statefulset", "virtual-node-fake", "--replicas=0").succeeded();
      String token = kubectl.run("-n", "kube-system", "create", "token", "virtual-node-fake").succeeded().strip();
      List<String> forbidden = new CopyOnWriteArrayList<>();
      ApiClient asServiceAccount = new ClientBuilder().setBasePath(admin.getBasePath())
          .setVerifyingSsl(false) // the local control plane's kubeconfig skips verification too
          .setAuthentication(new AccessTokenAuthentication(token)).build();
      asServiceAccount.setHttpClient(asServiceAccount.getHttpClient().newBuilder()
          .readTimeout(5, TimeUnit.MINUTES)
          .addInterceptor(chain -> {
            okhttp3.Response response = chain.proceed(chain.request());
            if (response.code() == 403) {
              forbidden.add(chain.request().method() + " " + chain.request().url().encodedPath());
            }
            return response;
          })
          .build());
      core.createNamespacedSecret(namespace, new V1Secret().metadata(new V1ObjectMeta().name("db"))
          .putStringDataItem("password", "s3cret")).execute();
      core.createNamespacedConfigMap(namespace, new V1ConfigMap().metadata(new V1ObjectMeta().name("settings"))
          .putDataItem("mode", "demo").putDataItem("LEVEL", "debug")).execute();

      node = VirtualNode.builder().nodeName(nodeName).apiClient(asServiceAccount)
          .providerFactory(new FakeProviderFactory()).environment(Map.of("VK4J_FAKE_START_DELAY", "0s"))
          .options(VirtualNodeOptions.builder().kubeletApiPort(0).internalIp("127.0.0.1")
              .kubeletApi(KubeletApiOptions.builder().clientCaFile(cluster.kubeletClientCaFile()).build())
              .statefulSetNamespace("kube-system").clusterSweepPeriod(Duration.ofSeconds(1))
              .leaseDuration(Duration.ofSeconds(4)).leaseRenewInterval(Duration.ofSeconds(1))
              .abandonedNodeAge(Duration.ofSeconds(5)).build())
          .build();
      node.start();
      node.awaitReady(TIMEOUT);

      core.createNamespacedPod(namespace, new V1Pod()
          .metadata(new V1ObjectMeta().name("app"))
          .spec(new V1PodSpec()
              .putNodeSelectorItem("kubernetes.io/hostname", nodeName)
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))
              .addContainersItem(new V1Container().name("app").image("nginx")
                  .addEnvItem(new V1EnvVar().name("PASSWORD").valueFrom(new V1EnvVarSource()
                      .secretKeyRef(new V1SecretKeySelector().name("db").key("password"))))
                  .addEnvItem(new V1EnvVar().name("MODE").valueFrom(new V1EnvVarSource()
                      .configMapKeyRef(new V1ConfigMapKeySelector().name("settings").key("mode"))))
                  .addEnvFromItem(new V1EnvFromSource().configMapRef(new V1ConfigMapEnvSource().name("settings"))))))
          .execute();
      await().atMost(TIMEOUT).until(() -> "Running".equals(
          core.readNamespacedPod("app", namespace).execute().getStatus().getPhase()));
      await().atMost(TIMEOUT).until(() -> core.listNamespacedEvent(namespace)
          .fieldSelector("involvedObject.name=app").execute().getItems().stream().map(CoreV1Event::getReason)
          .collect(Collectors.toSet()).containsAll(List.of("Created", "Started")));
      if (cluster.kubeletClientCaFile().isPresent()) {
        assertThat(kubectl.run("-n", namespace, "logs", "app").succeeded()).contains("fake container app started");
      }
      // a bearer token: the node reviews it (TokenReview) and the access (SubjectAccessReview) with its own token
      java.net.http.HttpResponse<String> pods = java.net.http.HttpClient.newBuilder()
          .sslContext(io.vk4j.testkit.tls.TestTls.trustingAnyServer(null, List.of())).build()
          .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:"
              + node.kubeletApiPort().orElseThrow() + "/pods")).header("Authorization", "Bearer " + token).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(pods.statusCode()).as("the node's own service account may not proxy to nodes: %s", pods.body())
          .isEqualTo(403);
      String firstRenewal = leaseRenewTime(core, nodeName);
      await().atMost(TIMEOUT).until(() -> !leaseRenewTime(core, nodeName).equals(firstRenewal));
      await("the sweep's Lease, held by this node").atMost(TIMEOUT).until(() -> nodeName.equals(
          new io.kubernetes.client.openapi.apis.CoordinationV1Api(admin)
              .readNamespacedLease("vk4j-cluster-sweep-fake", "kube-system").execute().getSpec().getHolderIdentity()));

      kubectl.run("-n", namespace, "delete", "pod", "app", "--wait=false").succeeded();
      await().atMost(TIMEOUT).until(() -> core.listNamespacedPod(namespace).execute().getItems().isEmpty());

      // the StatefulSet has 0 replicas: replica 0's node is gone for good and retires as it stops
      core.createNamespacedPod(namespace, new V1Pod().metadata(new V1ObjectMeta().name("left"))
          .spec(new V1PodSpec().nodeName(nodeName)
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))
              .addContainersItem(new V1Container().name("app").image("nginx")))).execute();
      await().atMost(TIMEOUT).until(() -> "Running".equals(
          core.readNamespacedPod("left", namespace).execute().getStatus().getPhase()));
      assertThat(node.shutdown()).as("retired").isTrue();
      node = null;
      assertThat(core.listNamespacedPod(namespace).execute().getItems()).isEmpty();
      assertThat(core.listNode().fieldSelector("metadata.name=" + nodeName).execute().getItems()).isEmpty();

      assertThat(forbidden).isEmpty();
    } finally {
      if (node != null) {
        node.close();
      }
      try {
        core.deleteNode(nodeName).execute();
      } catch (ApiException | RuntimeException e) {
        // retired, or never registered
      }
      kubectl.run("delete", "-k", overlay, "--wait=false").succeeded();
    }
  }

  private static String leaseRenewTime(CoreV1Api core, String nodeName) throws ApiException {
    return String.valueOf(new io.kubernetes.client.openapi.apis.CoordinationV1Api(core.getApiClient())
        .readNamespacedLease(nodeName, "kube-node-lease").execute().getSpec().getRenewTime());
  }
}
