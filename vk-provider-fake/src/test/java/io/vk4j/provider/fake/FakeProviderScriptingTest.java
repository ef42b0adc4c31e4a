package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static io.vk4j.provider.fake.Pods.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.RetryableException;
import io.vk4j.testkit.conformance.ConformancePods;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each {@link FakeAnnotations} annotation does what it says. */
class FakeProviderScriptingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Recorder recorder = new Recorder();
  private final FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
      .startDelay(Duration.ZERO)
      .restartBackoff(Duration.ofMillis(200))
      .maxRestartBackoff(Duration.ofMillis(400))
      .build());

  {
    provider.notifyPods(recorder);
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private V1Pod create(V1Pod pod) throws Exception {
    provider.createPod(ConformancePods.copy(pod));
    return pod;
  }

  private V1PodStatus awaitLast(V1Pod pod, Predicate<V1PodStatus> condition, String what) {
    await(what + " for " + name(pod) + ", notified so far: " + recorder.containerStates(uid(pod)))
        .atMost(WAIT)
        .until(() -> recorder.last(uid(pod)) != null && condition.test(recorder.last(uid(pod))));
    return recorder.last(uid(pod));
  }

  @Test
  void exitAfterWithCodeZeroAndRestartNeverSucceeds() throws Exception {
    V1Pod pod = create(Pods.withRestartPolicy(Pods.pod(FakeAnnotations.EXIT_AFTER, "100ms"), "Never"));

    V1PodStatus status = awaitLast(pod, s -> "Succeeded".equals(s.getPhase()), "phase Succeeded");

    V1ContainerStatus container = status.getContainerStatuses().get(0);
    assertThat(container.getState().getTerminated().getExitCode()).isZero();
    assertThat(container.getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(status.getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getReason()).isEqualTo("PodCompleted"));
    assertThat(recorder.phases(uid(pod))).containsExactly("Pending", "Running", "Succeeded");
  }

  @Test
  void exitWithNonZeroCodeAndRestartNeverFails() throws Exception {
    V1Pod pod = create(Pods.withRestartPolicy(
        Pods.pod(FakeAnnotations.EXIT_AFTER, "100ms", FakeAnnotations.EXIT_CODE, "3"), "Never"));

    V1PodStatus status = awaitLast(pod, s -> "Failed".equals(s.getPhase()), "phase Failed");

    assertThat(status.getContainerStatuses().get(0).getState().getTerminated())
        .satisfies(t -> {
          assertThat(t.getExitCode()).isEqualTo(3);
          assertThat(t.getReason()).isEqualTo("Error");
        });
  }

  @Test
  void restartPolicyOnFailureRestartsAndCrashLoops() throws Exception {
    V1Pod pod = create(Pods.withRestartPolicy(
        Pods.pod(FakeAnnotations.EXIT_AFTER, "50ms", FakeAnnotations.EXIT_CODE, "1"), "OnFailure"));

    V1PodStatus status = awaitLast(pod,
        s -> s.getContainerStatuses().get(0).getRestartCount() >= 3 && s.getContainerStatuses().get(0).getState().getRunning() != null,
        "three restarts");

    assertThat(status.getPhase()).isEqualTo("Running");
    V1ContainerStatus container = status.getContainerStatuses().get(0);
    assertThat(container.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(container.getLastState().getTerminated().getReason()).isEqualTo("Error");
    List<String> states = recorder.containerStates(uid(pod));
    // the first restart is immediate, later ones wait in CrashLoopBackOff, like the kubelet
    assertThat(states).startsWith(
        "Pending:waiting(ContainerCreating):0", "Running:running:0", "Running:terminated(1):0",
        "Running:running:1", "Running:terminated(1):1", "Running:waiting(CrashLoopBackOff):1", "Running:running:2");
    V1PodStatus backingOff = recorder.statuses(uid(pod)).get(5);
    assertThat(backingOff.getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .startsWith("back-off 200ms restarting failed container=main");
    assertThat(backingOff.getContainerStatuses().get(0).getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(backingOff.getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  @Test
  void restartPolicyOnFailureWithCodeZeroSucceeds() throws Exception {
    V1Pod pod = create(Pods.withRestartPolicy(Pods.pod(FakeAnnotations.EXIT_AFTER, "50ms"), "OnFailure"));

    awaitLast(pod, s -> "Succeeded".equals(s.getPhase()), "phase Succeeded");
  }

  @Test
  void restartPolicyAlwaysRestartsEvenAfterCodeZero() throws Exception {
    V1Pod pod = create(Pods.pod(FakeAnnotations.EXIT_AFTER, "50ms"));

    V1PodStatus status = awaitLast(pod, s -> s.getContainerStatuses().get(0).getRestartCount() >= 2, "two restarts");

    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(recorder.phases(uid(pod))).doesNotContain("Succeeded", "Failed");
  }

  @Test
  void failCreateIsInvalidInputWithTheScriptedReasonAndCreatesNothing() {
    V1Pod pod = Pods.pod(FakeAnnotations.FAIL_CREATE, "ImageNotSupported",
        FakeAnnotations.FAIL_CREATE_MESSAGE, "no such image in this backend");

    assertThatThrownBy(() -> provider.createPod(pod))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.reason()).isEqualTo("ImageNotSupported");
          assertThat(e.getMessage()).isEqualTo("no such image in this backend");
        });
    assertThat(provider.listPods()).isEmpty();
    assertThat(recorder.statuses(uid(pod))).isEmpty();
  }

  @Test
  void failCreateTimesFailsRetryablyThatManyTimesThenSucceeds() throws Exception {
    V1Pod pod = Pods.pod(FakeAnnotations.FAIL_CREATE_TIMES, "2");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> provider.createPod(ConformancePods.copy(pod)))
          .isInstanceOfSatisfying(RetryableException.class, e -> assertThat(e.reason()).isEqualTo("FakeTransientFailure"));
    }
    provider.createPod(ConformancePods.copy(pod));

    assertThat(provider.getPod(ns(pod), name(pod))).isPresent();
    V1Pod other = Pods.pod(FakeAnnotations.FAIL_CREATE_TIMES, "1");
    assertThatThrownBy(() -> provider.createPod(ConformancePods.copy(other))).isInstanceOf(RetryableException.class);
  }

  @Test
  void failCreateRetryAfterIsTheHintOfTheScriptedFailures() {
    V1Pod pod = Pods.pod(FakeAnnotations.FAIL_CREATE_TIMES, "1", FakeAnnotations.FAIL_CREATE_RETRY_AFTER, "3s");

    assertThatThrownBy(() -> provider.createPod(ConformancePods.copy(pod)))
        .isInstanceOfSatisfying(RetryableException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
  }

  @Test
  void vanishAfterMakesThePodDisappearWithoutATerminalStatus() throws Exception {
    V1Pod pod = create(Pods.pod(FakeAnnotations.VANISH_AFTER, "200ms"));
    int freeIps = provider.freePodIps();

    await("the pod to vanish").atMost(WAIT).until(() -> provider.getPod(ns(pod), name(pod)).isEmpty());

    assertThat(provider.listPods()).isEmpty();
    assertThat(provider.freePodIps()).isEqualTo(freeIps + 1);
    assertThat(recorder.phases(uid(pod))).doesNotContain("Succeeded", "Failed");
    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
  }

  @Test
  void hangOnDeleteKeepsThePodRunningForTheDuration() throws Exception {
    V1Pod pod = create(Pods.pod(FakeAnnotations.HANG_ON_DELETE, "1s"));
    awaitLast(pod, s -> "Running".equals(s.getPhase()), "phase Running");
    long deletedAt = System.nanoTime();

    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));

    awaitLast(pod, s -> "Succeeded".equals(s.getPhase()), "phase Succeeded");
    assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void hangOnDeleteForeverNeverStops() throws Exception {
    V1Pod hanging = create(Pods.pod(FakeAnnotations.HANG_ON_DELETE, "forever"));
    V1Pod normal = create(Pods.pod());
    awaitLast(hanging, s -> "Running".equals(s.getPhase()), "phase Running");
    awaitLast(normal, s -> "Running".equals(s.getPhase()), "phase Running");

    provider.deletePod(ConformancePods.markedForDeletion(hanging, 30));
    provider.deletePod(ConformancePods.markedForDeletion(normal, 30));
    provider.deletePod(ConformancePods.markedForDeletion(hanging, 30));

    awaitLast(normal, s -> "Succeeded".equals(s.getPhase()), "phase Succeeded");
    assertThat(provider.getPod(ns(hanging), name(hanging)).map(V1Pod::getStatus)).map(V1PodStatus::getPhase).contains("Running");
  }

  @Test
  void startDelayAnnotationOverridesTheProviderDefault() throws Exception {
    long createdAt = System.nanoTime();
    V1Pod slow = create(Pods.pod(FakeAnnotations.START_DELAY, "1s"));

    awaitLast(slow, s -> "Running".equals(s.getPhase()), "phase Running");

    assertThat(Duration.ofNanos(System.nanoTime() - createdAt)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    try (FakeProvider patient = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ofHours(1)).build())) {
      V1Pod quick = Pods.pod(FakeAnnotations.START_DELAY, "0s");
      patient.createPod(ConformancePods.copy(quick));
      await().atMost(WAIT).until(() -> "Running".equals(patient.getPod(ns(quick), name(quick)).map(V1Pod::getStatus).orElseThrow().getPhase()));
    }
  }

  @Test
  void logAnnotationLinesAreWrittenByEveryContainerAfterItStarts() throws Exception {
    V1Pod pod = create(Pods.pod(FakeAnnotations.LOG, "hello\nworld"));
    awaitLast(pod, s -> "Running".equals(s.getPhase()), "phase Running");

    try (InputStream log = provider.containerLogs(ContainerRef.of(ns(pod), name(pod), "main"), ContainerLogOptions.defaults())) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("fake container main started (image busybox:1.36)\nhello\nworld\n");
    }
  }

  @Test
  void invalidAnnotationValuesAreInvalidInputNamingTheAnnotation() {
    assertThatThrownBy(() -> provider.createPod(Pods.pod(FakeAnnotations.EXIT_AFTER, "soon")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.reason()).isEqualTo("InvalidAnnotation");
          assertThat(e.getMessage()).contains(FakeAnnotations.EXIT_AFTER).contains("'soon'").contains("5s");
        });
    assertThatThrownBy(() -> provider.createPod(Pods.pod(FakeAnnotations.EXIT_CODE, "300")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(FakeAnnotations.EXIT_CODE);
    assertThatThrownBy(() -> provider.createPod(Pods.pod(FakeAnnotations.FAIL_CREATE_TIMES, "-1")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(FakeAnnotations.FAIL_CREATE_TIMES);
    assertThat(provider.listPods()).isEmpty();
  }
}
