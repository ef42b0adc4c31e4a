package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static io.vk4j.provider.fake.Pods.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.testkit.conformance.ConformancePods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeProviderLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Recorder recorder = new Recorder();
  private FakeProvider provider = provider(FakeProviderOptions.builder().startDelay(Duration.ZERO).build());

  private FakeProvider provider(FakeProviderOptions options) {
    FakeProvider created = new FakeProvider(options);
    created.notifyPods(recorder);
    return created;
  }

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void eachContainerStartIsPrecededByThePulledEventOfItsImage() throws Exception {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    FakeProvider recording = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).build(),
        new io.vk4j.api.PodEventRecorder() {
          @Override
          public void normal(V1Pod pod, String reason, String message) {
            events.add(reason + ": " + message);
          }

          @Override
          public void warning(V1Pod pod, String reason, String message) {
            events.add("Warning " + reason + ": " + message);
          }
        });
    try {
      recording.createPod(ConformancePods.pod());
      await().atMost(WAIT).until(() -> !events.isEmpty());
      assertThat(events).containsExactly("Pulled: Container image \"busybox:1.36\" already present on machine");
    } finally {
      recording.close();
    }
  }

  private void awaitPhase(V1Pod pod, String phase) {
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus)).map(V1PodStatus::getPhase).contains(phase));
  }

  @Test
  void runningPodIsReportedLikeAKubeletWould() throws Exception {
    V1Pod pod = Pods.pod();
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");

    V1PodStatus status = provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow();
    assertThat(status.getPodIP()).startsWith("10.244.");
    assertThat(status.getPodIPs()).singleElement().satisfies(ip -> assertThat(ip.getIp()).isEqualTo(status.getPodIP()));
    assertThat(status.getHostIP()).isEqualTo("127.0.0.1");
    assertThat(status.getStartTime()).isNotNull();
    assertThat(status.getQosClass()).isEqualTo("Guaranteed");
    assertThat(status.getConditions().stream().collect(Collectors.toMap(V1PodCondition::getType, V1PodCondition::getStatus)))
        .isEqualTo(Map.of("PodScheduled", "True", "Initialized", "True", "ContainersReady", "True", "Ready", "True"));
    V1ContainerStatus container = status.getContainerStatuses().get(0);
    assertThat(container.getName()).isEqualTo("main");
    assertThat(container.getImage()).isEqualTo("busybox:1.36");
    assertThat(container.getImageID()).startsWith("busybox@sha256:");
    assertThat(container.getContainerID()).startsWith("fake://");
    assertThat(container.getReady()).isTrue();
    assertThat(container.getStarted()).isTrue();
    assertThat(container.getRestartCount()).isZero();
    assertThat(container.getState().getRunning().getStartedAt()).isNotNull();
    assertThat(container.getLastState().getTerminated()).isNull();

    List<V1PodStatus> notified = recorder.statuses(uid(pod));
    assertThat(notified.get(0).getPhase()).isEqualTo("Pending");
    assertThat(notified.get(0).getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(notified.get(0).getContainerStatuses().get(0).getContainerID()).isNull();
  }

  @Test
  void gracefulDeleteEndsSucceededWithEveryContainerTerminatedAndIsForgottenLater() throws Exception {
    provider.close();
    provider = provider(FakeProviderOptions.builder().startDelay(Duration.ZERO)
        .deletedPodRetention(Duration.ofMillis(300)).build());
    V1Pod pod = Pods.pod();
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");
    int freeIps = provider.freePodIps();

    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));

    V1PodStatus status = provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow();
    assertThat(status.getPhase()).isEqualTo("Succeeded");
    assertThat(status.getContainerStatuses().get(0).getState().getTerminated())
        .satisfies(t -> {
          assertThat(t.getExitCode()).isZero();
          assertThat(t.getReason()).isEqualTo("Completed");
          assertThat(t.getFinishedAt()).isNotNull();
        });
    assertThat(provider.freePodIps()).isEqualTo(freeIps + 1);
    assertThat(recorder.last(uid(pod)).getPhase()).isEqualTo("Succeeded");
    await().atMost(WAIT).until(() -> provider.getPod(ns(pod), name(pod)).isEmpty());
    assertThat(provider.podCount()).isZero();
  }

  @Test
  void deleteWithoutGracePeriodKillsTheContainers() throws Exception {
    V1Pod pod = Pods.pod();
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");

    provider.deletePod(ConformancePods.markedForDeletion(pod, 0));

    V1PodStatus status = provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow();
    assertThat(status.getPhase()).isEqualTo("Failed");
    assertThat(status.getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
  }

  @Test
  void deleteIsIdempotentAndUnknownPodsAreFine() throws Exception {
    V1Pod pod = Pods.pod();
    provider.deletePod(pod);
    provider.createPod(ConformancePods.copy(pod));
    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
    // deleted right away (running or not yet): exactly one terminal status, the last one
    List<String> phases = recorder.phases(uid(pod));
    assertThat(phases.stream().filter(p -> p.equals("Succeeded") || p.equals("Failed"))).hasSize(1);
    assertThat(phases.get(phases.size() - 1)).isIn("Succeeded", "Failed");
  }

  @Test
  void deleteOfAnOlderUidLeavesTheSuccessorOfTheSameNameAlone() throws Exception {
    V1Pod old = Pods.pod();
    V1Pod successor = ConformancePods.copy(old);
    successor.getMetadata().setUid("successor-" + uid(old));
    provider.createPod(ConformancePods.copy(old));
    provider.createPod(ConformancePods.copy(successor));
    awaitPhase(successor, "Running");

    provider.deletePod(ConformancePods.markedForDeletion(old, 30));

    assertThat(provider.getPod(ns(old), name(old))).map(p -> p.getMetadata().getUid()).contains(uid(successor));
    assertThat(provider.getPod(ns(old), name(old)).map(V1Pod::getStatus)).map(V1PodStatus::getPhase).contains("Running");
    assertThat(provider.listPods()).hasSize(1);
  }

  @Test
  void initContainersRunToCompletionBeforeTheMainContainers() throws Exception {
    V1Pod pod = Pods.pod();
    pod.getSpec().setInitContainers(List.of(
        new V1Container().name("init-1").image("busybox:1.36"),
        new V1Container().name("init-2").image("busybox:1.36")));
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");

    List<String> timeline = recorder.statuses(uid(pod)).stream()
        .map(s -> s.getPhase() + " " + Recorder.state(s.getInitContainerStatuses().get(0)) + " "
            + Recorder.state(s.getInitContainerStatuses().get(1)) + " " + Recorder.state(s.getContainerStatuses().get(0)))
        .toList();
    assertThat(timeline).containsExactly(
        "Pending waiting(PodInitializing) waiting(PodInitializing) waiting(PodInitializing)",
        "Pending running waiting(PodInitializing) waiting(PodInitializing)",
        "Pending terminated(0) running waiting(PodInitializing)",
        "Running terminated(0) terminated(0) running");
    V1PodStatus first = recorder.statuses(uid(pod)).get(0);
    assertThat(first.getConditions()).filteredOn(c -> c.getType().equals("Initialized")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getMessage()).isEqualTo("containers with incomplete status: [init-1 init-2]");
        });
    V1PodStatus running = recorder.last(uid(pod));
    assertThat(running.getInitContainerStatuses()).allSatisfy(c -> {
      assertThat(c.getState().getTerminated().getReason()).isEqualTo("Completed");
      assertThat(c.getReady()).isTrue();
    });
  }

  @Test
  void deferredEnvironmentGetsThePodAndHostIp() throws Exception {
    V1Pod pod = Pods.pod();
    V1Container main = pod.getSpec().getContainers().get(0);
    main.setEnv(List.of(
        new V1EnvVar().name("MY_IP").valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath("status.podIP"))),
        new V1EnvVar().name("HOST").valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath("status.hostIP"))),
        new V1EnvVar().name("URL").value("http://$(MY_IP):8080")));
    provider.createPod(ConformancePods.copy(pod));

    V1Pod created = provider.getPod(ns(pod), name(pod)).orElseThrow();
    String ip = created.getStatus().getPodIP();
    assertThat(created.getSpec().getContainers().get(0).getEnv())
        .extracting(V1EnvVar::getName, V1EnvVar::getValue)
        .containsExactly(
            tuple("MY_IP", ip),
            tuple("HOST", "127.0.0.1"),
            tuple("URL", "http://" + ip + ":8080"));
  }

  @Test
  void aNewUidOfTheSameNameReplacesTheOldPodAndFreesItsIp() throws Exception {
    V1Pod old = Pods.pod();
    provider.createPod(ConformancePods.copy(old));
    int free = provider.freePodIps();
    V1Pod successor = ConformancePods.copy(old);
    successor.getMetadata().setUid("new-" + uid(old));

    provider.createPod(ConformancePods.copy(successor));

    assertThat(provider.listPods()).singleElement().satisfies(p -> assertThat(p.getMetadata().getUid()).isEqualTo(uid(successor)));
    assertThat(provider.freePodIps()).isEqualTo(free);
  }

  @Test
  void updateWithANewImageRestartsTheContainer() throws Exception {
    V1Pod pod = Pods.pod();
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");
    V1Pod updated = ConformancePods.copy(pod);
    updated.getSpec().getContainers().get(0).setImage("busybox:1.37");
    updated.getMetadata().setLabels(Map.of("app", "changed"));

    provider.updatePod(updated);

    V1Pod got = provider.getPod(ns(pod), name(pod)).orElseThrow();
    assertThat(got.getMetadata().getLabels()).containsEntry("app", "changed");
    V1ContainerStatus container = got.getStatus().getContainerStatuses().get(0);
    assertThat(container.getImage()).isEqualTo("busybox:1.37");
    assertThat(container.getRestartCount()).isEqualTo(1);
    assertThat(container.getState().getRunning()).isNotNull();
    assertThat(container.getLastState().getTerminated().getExitCode()).isZero();
  }

  @Test
  void updateOfAnUnknownPodIsNotFound() {
    assertThatThrownBy(() -> provider.updatePod(Pods.pod())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void podsWithoutIdentityOrContainersAreInvalidInput() {
    V1Pod noUid = Pods.pod();
    noUid.getMetadata().setUid(null);
    V1Pod noContainers = Pods.pod();
    noContainers.getSpec().setContainers(List.of());
    assertThatThrownBy(() -> provider.createPod(noUid)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("UID");
    assertThatThrownBy(() -> provider.createPod(noContainers)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no containers");
  }

  @Test
  void notificationsAreOnlySentOnRealChanges() throws Exception {
    V1Pod pod = Pods.pod();
    provider.createPod(ConformancePods.copy(pod));
    awaitPhase(pod, "Running");
    provider.createPod(ConformancePods.copy(pod));
    provider.updatePod(ConformancePods.copy(pod));

    List<V1PodStatus> statuses = recorder.statuses(uid(pod));
    assertThat(statuses).hasSize(2);
    assertThat(statuses.get(0)).isNotEqualTo(statuses.get(1));
  }

  @Test
  void anUnreachableBackendFailsRetryablyAndKeepsItsPods() throws Exception {
    V1Pod running = Pods.pod();
    provider.createPod(ConformancePods.copy(running));

    provider.setReachable(false);

    assertThatThrownBy(() -> provider.ping()).isInstanceOfSatisfying(RetryableException.class,
        e -> assertThat(e.reason()).isEqualTo("BackendUnreachable"));
    assertThatThrownBy(() -> provider.createPod(Pods.pod())).isInstanceOf(RetryableException.class);
    assertThatThrownBy(() -> provider.deletePod(ConformancePods.markedForDeletion(running, 30)))
        .isInstanceOf(RetryableException.class);
    assertThat(provider.getPod(ns(running), name(running))).isPresent();
    provider.setReachable(true);
    provider.ping();
    provider.deletePod(ConformancePods.markedForDeletion(running, 30));
    assertThat(provider.getPod(ns(running), name(running)).map(V1Pod::getStatus).orElseThrow().getPhase()).isIn("Succeeded", "Failed");
  }

  @Test
  void closeEndsFollowedLogsAndLeavesAGivenSchedulerRunning() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      FakeProvider own = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).scheduler(scheduler).build());
      V1Pod pod = Pods.pod();
      own.createPod(ConformancePods.copy(pod));
      await().atMost(WAIT).until(() -> "Running".equals(own.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow().getPhase()));
      InputStream follow = own.containerLogs(ContainerRef.of(ns(pod), name(pod), "main"),
          ContainerLogOptions.builder().follow(true).build());
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
        try (follow) {
          return follow.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });

      own.close();

      await().atMost(WAIT).until(read::isDone);
      assertThat(new String(read.join(), StandardCharsets.UTF_8)).startsWith("fake container main started");
      assertThat(scheduler.isShutdown()).isFalse();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void threeThousandPodsComeAndGoWithoutLeavingAnythingBehind() throws Exception {
    provider.close();
    provider = provider(FakeProviderOptions.builder().startDelay(Duration.ZERO).deletedPodRetention(Duration.ZERO).build());
    int freeIps = provider.freePodIps();
    List<V1ObjectMeta> created = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      V1Pod pod = Pods.pod();
      created.add(new V1ObjectMeta().namespace(ns(pod)).name(name(pod)).uid(uid(pod)));
      provider.createPod(pod);
    }
    assertThatThrownBy(() -> provider.createPod(Pods.pod())).isInstanceOf(RetryableException.class);
    await().atMost(WAIT).until(() -> provider.listPods().stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())));
    assertThat(provider.listPods().stream().map(p -> p.getStatus().getPodIP()).distinct()).hasSize(3000);

    for (V1ObjectMeta metadata : created) {
      provider.deletePod(new V1Pod().metadata(metadata.deletionGracePeriodSeconds(30L)));
    }

    await().atMost(WAIT).until(() -> provider.podCount() == 0);
    assertThat(provider.freePodIps()).isEqualTo(freeIps);
    provider.createPod(Pods.pod()); // the capacity is back
  }

  @Test
  void closedProviderRefusesNewWork() {
    provider.close();
    assertThatThrownBy(() -> provider.createPod(Pods.pod())).isInstanceOf(ProviderException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> provider.ping()).isInstanceOf(ProviderException.class);
  }
}
