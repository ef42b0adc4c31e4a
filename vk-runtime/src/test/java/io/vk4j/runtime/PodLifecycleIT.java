package io.vk4j.runtime;

import static io.vk4j.runtime.TestNodes.WAIT;
import static io.vk4j.runtime.TestNodes.phase;
import static io.vk4j.runtime.TestNodes.pod;
import static io.vk4j.runtime.TestNodes.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.vk4j.provider.fake.FakeAnnotations;
import io.vk4j.provider.fake.FakeProvider;
import io.vk4j.provider.fake.FakeProviderOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pod lifecycle on a real API server, upstream's e2e cases included. */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodLifecycleIT {
  private CoreV1Api core;
  private String ns;
  private String nodeName;
  private FakeProvider fake;
  private TestProvider provider;
  private VirtualNode node;

  @BeforeAll
  void startNode(TestCluster cluster) throws Exception {
    core = cluster.core();
    ns = cluster.createNamespace("pods");
    nodeName = cluster.uniqueName("vk-pods");
    fake = new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ofMillis(200)).deletedPodRetention(Duration.ZERO).build());
    provider = new TestProvider(fake);
    node = TestNodes.start(cluster, nodeName, provider, TestNodes.fastOptions().build());
  }

  @AfterAll
  void stopNode() throws Exception {
    try {
      for (V1Pod pod : core.listNamespacedPod(ns).execute().getItems()) {
        core.deleteNamespacedPod(pod.getMetadata().getName(), ns).gracePeriodSeconds(0).execute();
      }
    } finally {
      if (node != null) {
        node.close();
      }
      fake.close();
      TestNodes.deleteNode(core, nodeName);
    }
  }

  private V1Pod create(V1Pod pod) throws Exception {
    return core.createNamespacedPod(ns, pod).execute();
  }

  private void awaitRunning(String name) {
    await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, name)));
  }

  private List<CoreV1Event> events(String podName) throws Exception {
    return core.listNamespacedEvent(ns).fieldSelector("involvedObject.name=" + podName).execute().getItems();
  }

  private boolean hasEvent(String podName, String reason) throws Exception {
    return events(podName).stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  private void deleteNow(String name) throws Exception {
    core.deleteNamespacedPod(name, ns).body(new V1DeleteOptions().gracePeriodSeconds(0L)).execute();
  }

  @Test
  void podsAreListedByTheProviderAndRunInTheApi() throws Exception {
    for (String name : List.of("list-a", "list-b", "list-c")) {
      create(pod(ns, name, nodeName));
    }
    for (String name : List.of("list-a", "list-b", "list-c")) {
      awaitRunning(name);
      V1Pod inApi = read(core, ns, name);
      assertThat(inApi.getStatus().getPodIP()).isNotBlank();
      assertThat(node.provider().getPod(ns, name)).hasValueSatisfying(p ->
          assertThat(p.getMetadata().getUid()).isEqualTo(inApi.getMetadata().getUid()));
    }
    assertThat(provider.listPods()).extracting(p -> p.getMetadata().getName())
        .contains("list-a", "list-b", "list-c");
    assertThat(hasEvent("list-a", "Started")).isTrue();
    assertThat(hasEvent("list-a", "ProviderCreated")).as("no Event a kubelet would not record").isFalse();
  }

  @Test
  void aReadyConditionTheNodeLifecycleControllerFlippedIsReassertedWithinSeconds() throws Exception {
    create(pod(ns, "reasserted", nodeName));
    awaitRunning("reasserted");
    await().atMost(WAIT).until(() -> "True".equals(ready(read(core, ns, "reasserted"))));
    // what the node lifecycle controller writes for the pods of a node it lost
    String notReady = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}";
    io.kubernetes.client.util.PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPodStatus("reasserted", ns,
        new io.kubernetes.client.custom.V1Patch(notReady)).buildCall(null),
        io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, core.getApiClient());

    // the full resync of these tests is 10 s: within 5 s only the watch can have done it
    await().atMost(Duration.ofSeconds(5)).until(() -> "True".equals(ready(read(core, ns, "reasserted"))));
    assertThat(hasEvent("reasserted", "Started")).isTrue();
  }

  private static String ready(V1Pod pod) {
    return pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(c -> c.getStatus()).findFirst().orElse(null);
  }

  @Test
  void gracefulDeleteStopsThePodInTheProviderThenRemovesIt() throws Exception {
    V1Pod pod = create(pod(ns, "graceful", nodeName));
    awaitRunning("graceful");
    core.deleteNamespacedPod("graceful", ns).body(new V1DeleteOptions().gracePeriodSeconds(30L)).execute();
    await().atMost(WAIT).until(() -> read(core, ns, "graceful") == null);
    assertThat(provider.deletedUids).contains(pod.getMetadata().getUid());
    assertThat(fake.getPod(ns, "graceful")).isEmpty();
  }

  @Test
  void aPodThatDoesNotStopIsRemovedWhenItsGracePeriodEnds() throws Exception {
    V1Pod hanging = pod(ns, "hanging", nodeName);
    hanging.getMetadata().putAnnotationsItem(FakeAnnotations.HANG_ON_DELETE, "forever");
    create(hanging);
    awaitRunning("hanging");
    core.deleteNamespacedPod("hanging", ns).body(new V1DeleteOptions().gracePeriodSeconds(4L)).execute();
    await().atMost(WAIT).until(() -> read(core, ns, "hanging") == null);
    // the provider was asked to delete it, and the API server kept it until the grace period ended
    assertThat(provider.deletedUids).isNotEmpty();
  }

  @Test
  void forceDeleteRemovesThePodFromTheProvider() throws Exception {
    create(pod(ns, "forced", nodeName));
    awaitRunning("forced");
    deleteNow("forced");
    await().atMost(WAIT).until(() -> fake.getPod(ns, "forced").isEmpty());
  }

  @Test
  void optionalMissingSecretAndConfigMapStillRun() throws Exception {
    V1Pod pod = pod(ns, "optional-refs", nodeName);
    pod.getSpec().getContainers().get(0).env(List.of(
        new V1EnvVar().name("S").valueFrom(new V1EnvVarSource().secretKeyRef(
            new V1SecretKeySelector().name("no-such-secret").key("k").optional(true))),
        new V1EnvVar().name("C").valueFrom(new V1EnvVarSource().configMapKeyRef(
            new V1ConfigMapKeySelector().name("no-such-configmap").key("k").optional(true)))));
    create(pod);
    awaitRunning("optional-refs");
    await().atMost(WAIT).until(() -> hasEvent("optional-refs", "OptionalSecretNotFound")
        && hasEvent("optional-refs", "OptionalConfigMapNotFound"));
  }

  @Test
  void mandatoryMissingSecretKeepsThePodOutOfTheProviderUntilTheSecretExists() throws Exception {
    V1Pod pod = pod(ns, "mandatory-secret", nodeName);
    pod.getSpec().getContainers().get(0).env(List.of(new V1EnvVar().name("S").valueFrom(
        new V1EnvVarSource().secretKeyRef(new V1SecretKeySelector().name("late-secret").key("password")))));
    create(pod);
    await().atMost(WAIT).until(() -> hasEvent("mandatory-secret", "MandatorySecretNotFound"));
    await().atMost(WAIT).untilAsserted(() -> {
      V1Pod inApi = read(core, ns, "mandatory-secret");
      assertThat(inApi.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(inApi.getStatus().getContainerStatuses()).first()
          .satisfies(s -> assertThat(s.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError"));
    });
    assertThat(fake.getPod(ns, "mandatory-secret")).isEmpty();

    core.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name("late-secret"))
        .stringData(Map.of("password", "hunter2"))).execute();
    awaitRunning("mandatory-secret");
    Optional<V1Pod> inProvider = fake.getPod(ns, "mandatory-secret");
    assertThat(inProvider).hasValueSatisfying(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(v -> assertThat(v.getValue()).isEqualTo("hunter2")));
  }

  @Test
  void mandatoryMissingConfigMapIsReportedAndNotCreated() throws Exception {
    V1Pod pod = pod(ns, "mandatory-configmap", nodeName);
    pod.getSpec().getContainers().get(0).env(List.of(new V1EnvVar().name("C").valueFrom(
        new V1EnvVarSource().configMapKeyRef(new V1ConfigMapKeySelector().name("absent-config").key("k")))));
    create(pod);
    await().atMost(WAIT).until(() -> hasEvent("mandatory-configmap", "MandatoryConfigMapNotFound"));
    assertThat(fake.getPod(ns, "mandatory-configmap")).isEmpty();

    core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("absent-config"))
        .data(Map.of("k", "v"))).execute();
    awaitRunning("mandatory-configmap");
  }

  @Test
  void aProviderFailureGivesAnEventAndARetry() throws Exception {
    V1Pod pod = pod(ns, "flaky", nodeName);
    pod.getMetadata().putAnnotationsItem(FakeAnnotations.FAIL_CREATE_TIMES, "2");
    create(pod);
    awaitRunning("flaky");
    await().atMost(WAIT).until(() -> hasEvent("flaky", "ProviderCreateFailed"));
    CoreV1Event failed = events("flaky").stream().filter(e -> "ProviderCreateFailed".equals(e.getReason()))
        .findFirst().orElseThrow();
    assertThat(failed.getType()).isEqualTo("Warning");
    assertThat(failed.getMessage()).isNotBlank();
  }

  @Test
  void anInvalidPodIsFailedWithTheProvidersReason() throws Exception {
    V1Pod pod = pod(ns, "invalid", nodeName);
    pod.getMetadata().putAnnotationsItem(FakeAnnotations.FAIL_CREATE, "UnsupportedThing");
    pod.getMetadata().putAnnotationsItem(FakeAnnotations.FAIL_CREATE_MESSAGE, "this backend cannot do that");
    create(pod);
    await().atMost(WAIT).until(() -> "Failed".equals(phase(core, ns, "invalid")));
    V1Pod failed = read(core, ns, "invalid");
    assertThat(failed.getStatus().getReason()).isEqualTo("UnsupportedThing");
    assertThat(failed.getStatus().getMessage()).contains("this backend cannot do that");
  }

  @Test
  void aPodRecreatedWithTheSameNameIsANewPod() throws Exception {
    V1Pod first = create(pod(ns, "reborn", nodeName));
    awaitRunning("reborn");
    deleteNow("reborn");
    V1Pod second = create(pod(ns, "reborn", nodeName));
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    await().atMost(WAIT).untilAsserted(() -> {
      V1Pod inApi = read(core, ns, "reborn");
      assertThat(inApi.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid());
      assertThat(inApi.getStatus().getPhase()).isEqualTo("Running");
      assertThat(fake.getPod(ns, "reborn")).hasValueSatisfying(p ->
          assertThat(p.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid()));
    });
    assertThat(provider.deletedUids).contains(first.getMetadata().getUid());
  }

  @Test
  void podIpReachesTheEnvironment() throws Exception {
    V1Pod pod = pod(ns, "pod-ip", nodeName);
    pod.getSpec().getContainers().get(0).env(List.of(
        new V1EnvVar().name("POD_IP").valueFrom(new V1EnvVarSource().fieldRef(
            new V1ObjectFieldSelector().fieldPath("status.podIP"))),
        new V1EnvVar().name("URL").value("http://$(POD_IP):8080/")));
    create(pod);
    awaitRunning("pod-ip");
    String podIp = read(core, ns, "pod-ip").getStatus().getPodIP();
    assertThat(podIp).isNotBlank();
    V1Pod inProvider = fake.getPod(ns, "pod-ip").orElseThrow();
    Map<String, String> env = new java.util.HashMap<>();
    inProvider.getSpec().getContainers().get(0).getEnv().forEach(v -> env.put(v.getName(), v.getValue()));
    assertThat(env).containsEntry("POD_IP", podIp).containsEntry("URL", "http://" + podIp + ":8080/");
  }

  @Test
  void aLabelChangeReachesTheProviderAsAnUpdate() throws Exception {
    create(pod(ns, "relabelled", nodeName));
    awaitRunning("relabelled");
    String patch = "{\"metadata\":{\"labels\":{\"tier\":\"gold\"}}}";
    io.kubernetes.client.util.PatchUtils.patch(V1Pod.class,
        () -> core.patchNamespacedPod("relabelled", ns, new io.kubernetes.client.custom.V1Patch(patch)).buildCall(null),
        io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, core.getApiClient());
    await().atMost(WAIT).until(() -> fake.getPod(ns, "relabelled")
        .map(p -> p.getMetadata().getLabels() != null && "gold".equals(p.getMetadata().getLabels().get("tier")))
        .orElse(false));
    await().atMost(WAIT).until(() -> hasEvent("relabelled", "ProviderUpdated"));
    assertThat(phase(core, ns, "relabelled")).isEqualTo("Running");
  }

  @Test
  void aPodThatExitsIsReportedSucceeded() throws Exception {
    V1Pod pod = pod(ns, "job", nodeName);
    pod.getSpec().setRestartPolicy("Never");
    pod.getMetadata().putAnnotationsItem(FakeAnnotations.EXIT_AFTER, "1s");
    create(pod);
    await().atMost(WAIT).until(() -> "Succeeded".equals(phase(core, ns, "job")));
  }

  @Test
  void noProviderPodIsLeftAfterAllPodsAreDeleted() throws Exception {
    for (int i = 0; i < 5; i++) {
      create(pod(ns, "batch-" + i, nodeName));
    }
    for (int i = 0; i < 5; i++) {
      awaitRunning("batch-" + i);
    }
    for (int i = 0; i < 5; i++) {
      core.deleteNamespacedPod("batch-" + i, ns).execute();
    }
    await().atMost(WAIT).until(() -> core.listNamespacedPod(ns).execute().getItems().stream()
        .noneMatch(p -> p.getMetadata().getName().startsWith("batch-")));
    await().atMost(WAIT).until(() -> fake.listPods().stream()
        .noneMatch(p -> p.getMetadata().getName().startsWith("batch-")));
  }
}
