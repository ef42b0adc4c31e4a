package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodIP;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a container group to a pod status. Pure: the same group and previous status give the same
 * result, so an unchanged group never causes a status write (condition transition times are
 * carried over from the previous status while a condition keeps its value).
 *
 * <table>
 *   <caption>Group status to pod phase</caption>
 *   <tr><th>ECI</th><th>phase</th><th>notes</th></tr>
 *   <tr><td>Scheduling, Pending</td><td>Pending</td><td>containers Waiting (ContainerCreating)</td></tr>
 *   <tr><td>Running, Restarting, Updating, Terminating</td><td>Running</td><td>Ready only while Running</td></tr>
 *   <tr><td>Succeeded</td><td>Succeeded</td><td></td></tr>
 *   <tr><td>Failed, Expired</td><td>Failed</td><td>reason Failed / Expired</td></tr>
 *   <tr><td>ScheduleFailed</td><td>Failed</td><td>PodScheduled False, message from ECI's last warning</td></tr>
 * </table>
 */
final class StatusMapper {
  private StatusMapper() {}

  static final Set<String> TERMINAL = Set.of("Succeeded", "Failed", "ScheduleFailed", "Expired");

  static String phase(String groupStatus) {
    switch (groupStatus) {
      case "Scheduling":
      case "Pending":
        return "Pending";
      case "Running":
      case "Restarting":
      case "Updating":
      case "Terminating":
        return "Running";
      case "Succeeded":
        return "Succeeded";
      case "Failed":
      case "ScheduleFailed":
      case "Expired":
        return "Failed";
      default:
        return "Unknown";
    }
  }

  static boolean isTerminal(V1PodStatus status) {
    return status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()));
  }

  /**
   * @param spec the pod as created, when known: names the containers before ECI reports them
   */
  static V1PodStatus map(ContainerGroup group, Optional<V1Pod> spec, Optional<V1PodStatus> previous, Instant now) {
    String groupStatus = group.status();
    String phase = phase(groupStatus);
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    V1PodStatus status = new V1PodStatus().phase(phase);

    List<V1ContainerStatus> containers = containerStatuses(group, group.containers(),
        spec.map(p -> p.getSpec().getContainers()).orElse(List.of()), terminal);
    List<V1ContainerStatus> inits = containerStatuses(group, group.initContainers(),
        spec.map(p -> p.getSpec().getInitContainers()).filter(l -> l != null).orElse(List.of()), terminal);
    status.containerStatuses(containers);
    if (!inits.isEmpty()) {
      status.initContainerStatuses(inits);
    }
    group.intranetIp().ifPresent(ip -> status.podIP(ip).podIPs(List.of(new V1PodIP().ip(ip))).hostIP(ip));
    group.creationTime().ifPresent(time -> status.startTime(utc(time)));

    Optional<ContainerGroup.Event> lastWarning = group.events().stream()
        .filter(e -> e.type().equals("Warning"))
        .max(Comparator.comparing(e -> e.lastTimestamp().orElse(Instant.EPOCH)));
    if (groupStatus.equals("ScheduleFailed") || groupStatus.equals("Expired") || groupStatus.equals("Failed")) {
      status.reason(groupStatus.equals("Failed") ? "Failed" : groupStatus);
      status.message("ECI container group " + group.id() + " is " + groupStatus
          + lastWarning.map(e -> ": " + e.reason() + ": " + e.message()).orElse(""));
    }

    boolean scheduled = !groupStatus.equals("ScheduleFailed");
    // init containers run first, one at a time: the pod is initialized once each exited 0
    boolean initialized = inits.stream().allMatch(s -> s.getState() != null && s.getState().getTerminated() != null
        && s.getState().getTerminated().getExitCode() == 0);
    boolean containersReady = !containers.isEmpty() && containers.stream().allMatch(V1ContainerStatus::getReady);
    boolean ready = containersReady && groupStatus.equals("Running");
    List<V1PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", scheduled, scheduled ? null : "ScheduleFailed",
        scheduled ? null : status.getMessage()));
    conditions.add(condition("Initialized", initialized, initialized ? null : "ContainersNotInitialized", null));
    String notReady = terminal ? "PodCompleted" : "ContainersNotReady";
    conditions.add(condition("ContainersReady", containersReady && !terminal, containersReady && !terminal ? null : notReady,
        null));
    conditions.add(condition("Ready", ready, ready ? null : notReady, null));
    carryTransitionTimes(conditions, previous, now);
    status.conditions(conditions);
    return status;
  }

  private static V1PodCondition condition(String type, boolean value, String reason, String message) {
    return new V1PodCondition().type(type).status(value ? "True" : "False").reason(reason).message(message);
  }

  private static void carryTransitionTimes(List<V1PodCondition> conditions, Optional<V1PodStatus> previous,
      Instant now) {
    for (V1PodCondition condition : conditions) {
      OffsetDateTime time = previous.map(V1PodStatus::getConditions).orElse(List.of()).stream()
          .filter(p -> p.getType().equals(condition.getType()) && p.getStatus().equals(condition.getStatus()))
          .map(V1PodCondition::getLastTransitionTime)
          .filter(t -> t != null)
          .findFirst()
          .orElse(utc(now));
      condition.lastTransitionTime(time);
    }
  }

  private static List<V1ContainerStatus> containerStatuses(ContainerGroup group, List<ContainerGroup.Container> reported,
      List<V1Container> specified, boolean terminal) {
    List<V1ContainerStatus> statuses = new ArrayList<>();
    for (ContainerGroup.Container container : reported) {
      if (container.name().equals(KubeProxySidecar.CONTAINER)) {
        continue;
      }
      statuses.add(new V1ContainerStatus()
          .name(container.name())
          .image(container.image())
          .imageID("")
          .containerID("eci://" + group.id() + "/" + container.name())
          .ready(container.ready() && !terminal)
          .restartCount(container.restartCount())
          .started(container.currentState().map(s -> s.state().equals("Running")).orElse(false))
          .state(container.currentState().map(StatusMapper::state).orElse(waiting(group)))
          .lastState(container.previousState().map(StatusMapper::state).orElse(null)));
    }
    for (V1Container container : specified) {
      // ECI names no containers yet (Scheduling): show the pod's as being created
      if (statuses.stream().noneMatch(s -> s.getName().equals(container.getName()))) {
        statuses.add(new V1ContainerStatus()
            .name(container.getName())
            .image(container.getImage())
            .imageID("")
            .ready(false)
            .restartCount(0)
            .started(false)
            .state(waiting(group)));
      }
    }
    return statuses;
  }

  private static V1ContainerState waiting(ContainerGroup group) {
    String reason = group.status().equals("ScheduleFailed") ? "ScheduleFailed"
        : TERMINAL.contains(group.status()) ? "ContainerGroup" + group.status() : "ContainerCreating";
    return new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason));
  }

  static V1ContainerState state(ContainerGroup.State state) {
    switch (state.state()) {
      case "Running":
        return new V1ContainerState().running(new V1ContainerStateRunning()
            .startedAt(state.startTime().map(StatusMapper::utc).orElse(null)));
      case "Terminated":
        int exitCode = state.exitCode().orElse(0);
        return new V1ContainerState().terminated(new V1ContainerStateTerminated()
            .exitCode(exitCode)
            .signal(state.signal().isPresent() ? state.signal().getAsInt() : null)
            .reason(state.reason().or(state::detailStatus).orElse(exitCode == 0 ? "Completed" : "Error"))
            .message(state.message().orElse(null))
            .startedAt(state.startTime().map(StatusMapper::utc).orElse(null))
            .finishedAt(state.finishTime().map(StatusMapper::utc).orElse(null)));
      default:
        return new V1ContainerState().waiting(new V1ContainerStateWaiting()
            .reason(state.reason().or(state::detailStatus).orElse("ContainerCreating"))
            .message(state.message().orElse(null)));
    }
  }

  /**
   * A Pending pod waiting for a container group (ECI could not schedule its previous one): every container
   * Waiting with {@code reason}, PodScheduled False with {@code message}.
   */
  static V1PodStatus waitingForGroup(Optional<V1Pod> spec, Optional<V1PodStatus> previous, String reason, String message,
      Instant now) {
    List<V1ContainerStatus> containers = new ArrayList<>();
    for (V1Container container : spec.map(p -> p.getSpec().getContainers()).orElse(List.of())) {
      containers.add(new V1ContainerStatus().name(container.getName()).image(container.getImage()).imageID("")
          .ready(false).restartCount(0).started(false)
          .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason))));
    }
    List<V1PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", false, reason, message));
    conditions.add(condition("Initialized", false, "ContainersNotInitialized", null));
    conditions.add(condition("ContainersReady", false, "ContainersNotReady", null));
    conditions.add(condition("Ready", false, "ContainersNotReady", null));
    carryTransitionTimes(conditions, previous, now);
    return new V1PodStatus().phase("Pending").reason(reason).message(message).containerStatuses(containers)
        .conditions(conditions);
  }

  /**
   * The final status of a pod whose group was deleted: every container that had not finished is
   * terminated with {@code reason}.
   */
  static V1PodStatus terminated(V1PodStatus last, Optional<V1Pod> spec, String phase, String reason, String message,
      int exitCode, Instant now) {
    V1PodStatus status = last == null ? new V1PodStatus() : copy(last);
    List<V1ContainerStatus> containers = new ArrayList<>(status.getContainerStatuses() == null ? List.of()
        : status.getContainerStatuses());
    for (V1Container container : spec.map(p -> p.getSpec().getContainers()).orElse(List.of())) {
      if (containers.stream().noneMatch(c -> c.getName().equals(container.getName()))) {
        containers.add(new V1ContainerStatus().name(container.getName()).image(container.getImage()).imageID("")
            .restartCount(0));
      }
    }
    for (V1ContainerStatus container : containers) {
      V1ContainerState state = container.getState();
      boolean finished = state != null && state.getTerminated() != null;
      if (!finished) {
        container.state(new V1ContainerState().terminated(new V1ContainerStateTerminated()
            .exitCode(exitCode).reason(reason).message(message)
            .startedAt(state != null && state.getRunning() != null ? state.getRunning().getStartedAt() : null)
            .finishedAt(utc(now))));
      }
      container.ready(false).started(false);
    }
    status.containerStatuses(containers).phase(phase).reason(reason).message(message);
    List<V1PodCondition> conditions = new ArrayList<>();
    for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
      boolean keep = type.equals("PodScheduled") || type.equals("Initialized");
      conditions.add(condition(type, keep, keep ? null : "PodCompleted", null));
    }
    carryTransitionTimes(conditions, Optional.ofNullable(last), now);
    status.conditions(conditions);
    return status;
  }

  static V1PodStatus copy(V1PodStatus status) {
    return io.kubernetes.client.openapi.JSON.deserialize(io.kubernetes.client.openapi.JSON.serialize(status),
        V1PodStatus.class);
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
