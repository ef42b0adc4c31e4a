package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every ECI group status and container state, mapped to the pod status Kubernetes users read. */
class StatusMapperTest {
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
  private static final Instant NOW = Instant.parse("2026-01-02T03:10:00Z");

  private static ContainerGroup.Builder group(String status) {
    return ContainerGroup.builder().id("eci-123").name("shop-web").status(status).creationTime(CREATED)
        .intranetIp("192.168.1.20");
  }

  private static ContainerGroup.Container container(String name, boolean ready, ContainerGroup.State state) {
    return ContainerGroup.Container.builder().name(name).image("nginx:1.25").ready(ready).restartCount(0)
        .currentState(state).build();
  }

  private static ContainerGroup.State running() {
    return ContainerGroup.State.builder().state("Running").startTime(CREATED.plusSeconds(20)).build();
  }

  private static ContainerGroup.State terminated(int exitCode, String reason) {
    return ContainerGroup.State.builder().state("Terminated").exitCode(exitCode).reason(Optional.ofNullable(reason))
        .startTime(CREATED.plusSeconds(20)).finishTime(CREATED.plusSeconds(80)).build();
  }

  private static String condition(V1PodStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).map(V1PodCondition::getStatus)
        .findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "Scheduling, Pending, True, False",
      "Pending, Pending, True, False",
      "Running, Running, True, True",
      "Restarting, Running, True, False",
      "Updating, Running, True, False",
      "Terminating, Running, True, False",
      "Succeeded, Succeeded, True, False",
      "Failed, Failed, True, False",
      "ScheduleFailed, Failed, False, False",
      "Expired, Failed, True, False",
      "SomethingNew, Unknown, True, False"})
  void everyGroupStatusHasAPhase(String eci, String phase, String scheduled, String ready) {
    boolean running = eci.equals("Running") || eci.equals("Restarting") || eci.equals("Updating")
        || eci.equals("Terminating");
    ContainerGroup.Builder builder = group(eci);
    if (running) {
      builder.addContainers(container("web", true, running()));
    } else if (eci.equals("Succeeded")) {
      builder.addContainers(container("web", false, terminated(0, null)));
    } else if (eci.equals("Failed") || eci.equals("Expired")) {
      builder.addContainers(container("web", false, terminated(1, "Error")));
    }
    V1PodStatus status = StatusMapper.map(builder.build(), Optional.of(TestPods.load("deployment-pod")),
        Optional.empty(), NOW);

    assertThat(status.getPhase()).isEqualTo(phase);
    assertThat(condition(status, "PodScheduled")).isEqualTo(scheduled);
    assertThat(condition(status, "Ready")).isEqualTo(ready);
    assertThat(status.getContainerStatuses()).extracting(V1ContainerStatus::getName).containsExactly("web");
    assertThat(status.getPodIP()).isEqualTo("192.168.1.20");
    assertThat(status.getHostIP()).isEqualTo("192.168.1.20");
    assertThat(status.getStartTime().toInstant()).isEqualTo(CREATED);
  }

  @Test
  void beforeEciNamesContainersThePodsAreShownAsBeingCreated() {
    V1PodStatus status = StatusMapper.map(group("Scheduling").intranetIp(Optional.empty()).build(),
        Optional.of(TestPods.load("init-containers-pod")), Optional.empty(), NOW);

    assertThat(status.getContainerStatuses()).extracting(V1ContainerStatus::getName).containsExactly("app", "sidecar");
    assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(status.getInitContainerStatuses()).extracting(V1ContainerStatus::getName).containsExactly("migrate", "fetch");
    assertThat(condition(status, "Initialized")).isEqualTo("False");
    assertThat(status.getPodIP()).isNull();
  }

  @Test
  void containerStatesCarryExitCodesReasonsTimesAndRestarts() {
    ContainerGroup.Container crashed = ContainerGroup.Container.builder().name("web").image("nginx:1.25")
        .ready(false).restartCount(3)
        .currentState(ContainerGroup.State.builder().state("Waiting").reason("CrashLoopBackOff")
            .message("back-off 40s restarting failed container").build())
        .previousState(terminated(137, "OOMKilled"))
        .build();
    V1PodStatus status = StatusMapper.map(group("Running").addContainers(crashed).build(), Optional.empty(),
        Optional.empty(), NOW);

    V1ContainerStatus web = status.getContainerStatuses().get(0);
    assertThat(web.getRestartCount()).isEqualTo(3);
    assertThat(web.getReady()).isFalse();
    assertThat(web.getContainerID()).isEqualTo("eci://eci-123/web");
    assertThat(web.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(web.getState().getWaiting().getMessage()).contains("back-off");
    assertThat(web.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(web.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(web.getLastState().getTerminated().getFinishedAt().toInstant()).isEqualTo(CREATED.plusSeconds(80));
    assertThat(condition(status, "ContainersReady")).isEqualTo("False");
    assertThat(condition(status, "Ready")).isEqualTo("False");
  }

  @Test
  void terminatedWithoutReasonIsCompletedOrError() {
    assertThat(StatusMapper.state(terminated(0, null)).getTerminated().getReason()).isEqualTo("Completed");
    assertThat(StatusMapper.state(terminated(2, null)).getTerminated().getReason()).isEqualTo("Error");
    assertThat(StatusMapper.state(terminated(2, null)).getTerminated().getExitCode()).isEqualTo(2);
    assertThat(StatusMapper.state(running()).getRunning().getStartedAt().toInstant()).isEqualTo(CREATED.plusSeconds(20));
  }

  @Test
  void initializedOnceEveryInitContainerExitedZero() {
    ContainerGroup running = group("Running")
        .addInitContainers(container("migrate", false, terminated(0, null)), container("fetch", false, terminated(0, null)))
        .addContainers(container("app", true, running()), container("sidecar", true, running()))
        .build();
    V1PodStatus status = StatusMapper.map(running, Optional.of(TestPods.load("init-containers-pod")), Optional.empty(), NOW);
    assertThat(condition(status, "Initialized")).isEqualTo("True");
    assertThat(condition(status, "Ready")).isEqualTo("True");

    ContainerGroup failedInit = group("Failed")
        .addInitContainers(container("migrate", false, terminated(1, "Error")))
        .build();
    V1PodStatus failed = StatusMapper.map(failedInit, Optional.of(TestPods.load("init-containers-pod")), Optional.empty(), NOW);
    assertThat(condition(failed, "Initialized")).isEqualTo("False");
    assertThat(failed.getPhase()).isEqualTo("Failed");
  }

  @Test
  void scheduleFailedSaysWhyFromEcisLastWarning() {
    ContainerGroup group = group("ScheduleFailed").intranetIp(Optional.empty())
        .addEvents(ContainerGroup.Event.builder().type("Normal").reason("Scheduling").message("scheduling")
            .lastTimestamp(CREATED).build())
        .addEvents(ContainerGroup.Event.builder().type("Warning").reason("NoStock")
            .message("the specified instance is out of stock").lastTimestamp(CREATED.plusSeconds(5)).build())
        .build();
    V1PodStatus status = StatusMapper.map(group, Optional.empty(), Optional.empty(), NOW);
    assertThat(status.getReason()).isEqualTo("ScheduleFailed");
    assertThat(status.getMessage()).contains("NoStock").contains("out of stock");
  }

  @Test
  void anUnchangedGroupMapsToAnEqualStatusSoNothingIsWritten() {
    ContainerGroup group = group("Running").addContainers(container("web", true, running())).build();
    V1PodStatus first = StatusMapper.map(group, Optional.empty(), Optional.empty(), NOW);
    V1PodStatus second = StatusMapper.map(group, Optional.of(TestPods.load("deployment-pod")).filter(p -> false),
        Optional.of(first), NOW.plusSeconds(300));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aConditionThatChangesGetsANewTransitionTime() {
    ContainerGroup starting = group("Running").addContainers(container("web", false, running())).build();
    V1PodStatus first = StatusMapper.map(starting, Optional.empty(), Optional.empty(), NOW);
    ContainerGroup ready = group("Running").addContainers(container("web", true, running())).build();
    V1PodStatus second = StatusMapper.map(ready, Optional.empty(), Optional.of(first), NOW.plusSeconds(30));

    V1PodCondition readyCondition = second.getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow();
    V1PodCondition scheduled = second.getConditions().stream().filter(c -> c.getType().equals("PodScheduled"))
        .findFirst().orElseThrow();
    assertThat(readyCondition.getLastTransitionTime().toInstant()).isEqualTo(NOW.plusSeconds(30));
    assertThat(scheduled.getLastTransitionTime().toInstant()).isEqualTo(NOW);
  }

  @Test
  void theKubeProxySidecarIsHidden() {
    ContainerGroup group = group("Running").addContainers(container("web", true, running()),
        container(KubeProxySidecar.CONTAINER, true, running())).build();
    assertThat(StatusMapper.map(group, Optional.empty(), Optional.empty(), NOW).getContainerStatuses())
        .extracting(V1ContainerStatus::getName).containsExactly("web");
  }

  @Test
  void aDeletedPodEndsWithEveryContainerTerminated() {
    ContainerGroup group = group("Running").addContainers(container("web", true, running())).build();
    V1PodStatus last = StatusMapper.map(group, Optional.empty(), Optional.empty(), NOW);
    V1PodStatus end = StatusMapper.terminated(last, Optional.empty(), "Succeeded", "ContainerGroupDeleted", "deleted", 0,
        NOW.plusSeconds(1));
    assertThat(end.getPhase()).isEqualTo("Succeeded");
    assertThat(end.getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("ContainerGroupDeleted");
    assertThat(end.getContainerStatuses().get(0).getState().getTerminated().getStartedAt().toInstant())
        .isEqualTo(CREATED.plusSeconds(20));
    assertThat(StatusMapper.isTerminal(end)).isTrue();
    // the last status is not touched
    assertThat(last.getPhase()).isEqualTo("Running");
  }
}
