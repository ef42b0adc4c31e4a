package io.vk4j.runtime.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
  private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 28, 7, 0, 0, 0, ZoneOffset.UTC);

  private static V1PodStatus apiStatus() {
    return new V1PodStatus().phase("Pending").qosClass("BestEffort")
        .conditions(List.of(new V1PodCondition().type("PodScheduled").status("True").lastTransitionTime(T0)));
  }

  private static V1PodStatus running(OffsetDateTime started) {
    return new V1PodStatus().phase("Running").podIP("10.0.0.5").hostIP("192.168.1.1").startTime(started)
        .conditions(List.of(new V1PodCondition().type("Ready").status("True").lastTransitionTime(started)))
        .containerStatuses(List.of(new V1ContainerStatus().name("c").image("img").imageID("").ready(true)
            .restartCount(0).state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(started)))));
  }

  @Test
  void mergeKeepsConditionsAndFieldsTheProviderDoesNotOwn() {
    V1PodStatus merged = PodStatuses.merge(apiStatus(), running(T0));
    assertThat(merged.getPhase()).isEqualTo("Running");
    assertThat(merged.getQosClass()).isEqualTo("BestEffort");
    assertThat(merged.getConditions()).extracting(V1PodCondition::getType).containsExactlyInAnyOrder("PodScheduled", "Ready");
    assertThat(merged.getPodIP()).isEqualTo("10.0.0.5");
  }

  @Test
  void timestampsAreComparedToTheSecondAndListsRegardlessOfOrder() {
    V1PodStatus written = PodStatuses.merge(apiStatus(), running(T0));
    V1PodStatus again = PodStatuses.merge(written, running(T0.plusNanos(300_000_000)));
    assertThat(PodStatuses.same(again, written)).isTrue();

    V1PodStatus reordered = ModelCopy.of(written);
    reordered.setConditions(List.of(written.getConditions().get(1), written.getConditions().get(0)));
    assertThat(PodStatuses.same(reordered, written)).isTrue();
  }

  @Test
  void realChangesAreSeen() {
    V1PodStatus written = PodStatuses.merge(apiStatus(), running(T0));
    V1PodStatus restarted = running(T0);
    restarted.getContainerStatuses().get(0).setRestartCount(1);
    assertThat(PodStatuses.same(PodStatuses.merge(written, restarted), written)).isFalse();
    V1PodStatus later = running(T0.plusSeconds(5));
    assertThat(PodStatuses.same(PodStatuses.merge(written, later), written)).isFalse();
  }

  @Test
  void aDifferentPhaseReasonOrMessageIsAChangeAndAnAbsentStatusIsNotAnEmptyOne() {
    V1PodStatus written = PodStatuses.merge(apiStatus(), running(T0));
    V1PodStatus failed = ModelCopy.of(written).phase("Failed");
    assertThat(PodStatuses.same(failed, written)).isFalse();
    assertThat(PodStatuses.same(ModelCopy.of(written).reason("Evicted"), written)).isFalse();
    assertThat(PodStatuses.same(ModelCopy.of(written).message(""), written)).isFalse();
    assertThat(PodStatuses.same(null, new V1PodStatus().phase("Pending"))).isFalse();
    assertThat(PodStatuses.same(null, new V1PodStatus())).isTrue();
  }

  @Test
  void problemStatusesSayWhyForEveryContainer() {
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p").namespace("ns").uid("u"))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("a").image("x"), new V1Container().name("b"))))
        .status(apiStatus());
    V1PodStatus pending = PodStatuses.problem(pod, "Pending", "CreateContainerConfigError", "secret \"s\" not found", 0, T0);
    assertThat(pending.getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(pending.getContainerStatuses()).allSatisfy(s ->
        assertThat(s.getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError"));
    assertThat(PodStatuses.isProgressOnly(pending)).isFalse();

    V1PodStatus failed = PodStatuses.problem(pod, "Failed", "InvalidVolume", "bad", 1, T0);
    assertThat(failed.getPhase()).isEqualTo("Failed");
    assertThat(failed.getContainerStatuses()).allSatisfy(s ->
        assertThat(s.getState().getTerminated().getExitCode()).isEqualTo(1));
  }

  @Test
  void specFingerprintIgnoresStatusButSeesImageChanges() {
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p").namespace("ns").uid("u"))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("a").image("x"))));
    int before = SpecFingerprint.of(pod);
    pod.setStatus(running(T0));
    assertThat(SpecFingerprint.of(pod)).isEqualTo(before);
    pod.getSpec().getContainers().get(0).setImage("y");
    assertThat(SpecFingerprint.of(pod)).isNotEqualTo(before);
  }
}
