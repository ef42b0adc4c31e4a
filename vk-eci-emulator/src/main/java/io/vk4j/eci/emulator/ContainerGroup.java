package io.vk4j.eci.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container group and its lifecycle. Time only moves when {@link #advance} is called: every due
 * transition is applied at the instant it was due, so what a client reads is the same whether it polls
 * often or rarely. Guarded by the store's lock.
 */
final class ContainerGroup {

  static final int MAX_EVENTS = 200;

  /** What happens at {@link #nextStepAt}. */
  enum Step {
    NONE,
    TO_PENDING,
    TO_RUNNING,
    TO_SCHEDULE_FAILED,
    FINISH_DELETE,
    FINISH_RESTART,
    FINISH_UPDATE
  }

  /** One ECI event of the group. */
  static final class Event {
    final String type;
    final String name;
    final String reason;
    final String message;
    final Instant first;
    Instant last;
    int count = 1;

    Event(String type, String name, String reason, String message, Instant at) {
      this.type = type;
      this.name = name;
      this.reason = reason;
      this.message = message;
      this.first = at;
      this.last = at;
    }
  }

  final String id;
  final long sequence;
  final String regionId;
  final String zoneId;
  final String vSwitchId;
  final Instant creationTime;
  GroupSpec spec;
  String restartPolicy;
  double cpu;
  double memory;
  Map<String, String> tags;
  String status = "Scheduling";
  Instant statusChangedAt;
  String intranetIp;
  Instant succeededTime;
  Instant failedTime;
  Instant expiredTime;
  Instant terminalAt;
  final List<ContainerRuntime> initContainers = new ArrayList<>();
  final List<ContainerRuntime> containers = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  Step nextStep = Step.NONE;
  Instant nextStepAt;
  String scheduleFailureReason;
  /** Set once the group has been removed (deleted and gone, or purged). */
  boolean gone;
  int eventSequence;

  ContainerGroup(String id, long sequence, String regionId, String zoneId, String vSwitchId, GroupSpec spec, Instant now) {
    this.id = id;
    this.sequence = sequence;
    this.regionId = regionId;
    this.zoneId = zoneId;
    this.vSwitchId = vSwitchId;
    this.creationTime = now;
    this.statusChangedAt = now;
    applySpec(spec);
  }

  private void applySpec(GroupSpec newSpec) {
    this.spec = newSpec;
    this.restartPolicy = newSpec.restartPolicy;
    this.cpu = newSpec.effectiveCpu();
    this.memory = newSpec.effectiveMemory();
    this.tags = new LinkedHashMap<>(newSpec.tags);
    initContainers.clear();
    containers.clear();
    newSpec.initContainers.forEach(c -> initContainers.add(new ContainerRuntime(c, true)));
    newSpec.containers.forEach(c -> containers.add(new ContainerRuntime(c, false)));
  }

  void schedule(Step step, Instant at) {
    nextStep = step;
    nextStepAt = at;
  }

  boolean terminal() {
    return status.equals("Succeeded") || status.equals("Failed") || status.equals("ScheduleFailed") || status.equals("Expired");
  }

  private void setStatus(String newStatus, Instant at) {
    if (!newStatus.equals(status)) {
      status = newStatus;
      statusChangedAt = at;
    }
  }

  void event(String type, String reason, String message, Instant at) {
    for (Event e : events) {
      if (e.reason.equals(reason) && e.message.equals(message)) {
        e.count++;
        e.last = at;
        return;
      }
    }
    events.add(new Event(type, spec.name + "." + Long.toHexString(creationTime.toEpochMilli()) + String.format("%04x", ++eventSequence), reason, message, at));
    if (events.size() > MAX_EVENTS) {
      events.remove(0);
    }
  }

  /**
   * Applies every transition due at or before {@code now}, in time order.
   *
   * @param delay the time each lifecycle step takes
   * @return true when the group must now be removed (a delete has finished)
   */
  boolean advance(Instant now, Duration delay) {
    for (int guard = 0; guard < 100_000; guard++) {
      Instant stepAt = nextStep == Step.NONE ? null : nextStepAt;
      ContainerRuntime exiting = null;
      for (ContainerRuntime c : containers) {
        if (c.exitAt != null && (exiting == null || c.exitAt.isBefore(exiting.exitAt))) {
          exiting = c;
        }
      }
      Instant exitAt = exiting == null ? null : exiting.exitAt;
      if (exitAt != null && !exitAt.isAfter(now) && (stepAt == null || exitAt.isBefore(stepAt))) {
        containerExited(exiting, exitAt);
        continue;
      }
      if (stepAt != null && !stepAt.isAfter(now)) {
        Step step = nextStep;
        nextStep = Step.NONE;
        if (apply(step, stepAt, delay)) {
          return true;
        }
        continue;
      }
      return false;
    }
    return false;
  }

  private boolean apply(Step step, Instant at, Duration delay) {
    switch (step) {
      case TO_PENDING -> {
        setStatus("Pending", at);
        event("Normal", "Scheduled", "Successfully assigned " + id + " to zone " + zoneId, at);
        for (ContainerRuntime c : allContainers()) {
          c.waitFor("Pulling image");
          event("Normal", "Pulling", "pulling image \"" + c.spec.image + "\"", at);
        }
        schedule(Step.TO_RUNNING, at.plus(delay));
      }
      case TO_RUNNING, FINISH_RESTART, FINISH_UPDATE -> startContainers(at, step != Step.TO_RUNNING);
      case TO_SCHEDULE_FAILED -> {
        setStatus("ScheduleFailed", at);
        event("Warning", "NoStock", "Create ECI failed because the specified instance is out of stock. " + scheduleFailureReason, at);
        terminalAt = at;
        failedTime = at;
      }
      case FINISH_DELETE -> {
        return true;
      }
      case NONE -> {}
      default -> throw new IllegalStateException(step.name());
    }
    return false;
  }

  private void startContainers(Instant at, boolean restart) {
    boolean pullFailed = false;
    for (ContainerRuntime c : allContainers()) {
      if ((c.spec.imagePullFails || c.pullDenied) && !c.current.state.equals("Running")) {
        c.pullFailed();
        event("Warning", "Failed", "Failed to pull image \"" + c.spec.image + "\": " + (c.pullDenied
            ? "pull access denied, the registry needs credentials the group no longer has" : "rpc error: code = NotFound"), at);
        pullFailed = true;
      }
    }
    if (pullFailed) {
      // Like ECI, a group whose image cannot be pulled stays Pending while the pull is retried.
      setStatus("Pending", at);
      return;
    }
    for (ContainerRuntime c : allContainers()) {
      if (c.current.state.equals("Waiting")) {
        event("Normal", "Pulled", "Successfully pulled image \"" + c.spec.image + "\"", at);
        event("Normal", "Created", "Created container " + c.spec.name, at);
      }
    }
    for (ContainerRuntime init : initContainers) {
      if (restart && init.terminated()) {
        continue;
      }
      init.start(at);
      event("Normal", "Started", "Started container " + init.spec.name, at);
      int code = init.spec.exitCode;
      init.terminate(at, code, code == 0 ? "Completed" : "Error", null);
      if (code != 0) {
        setStatus("Failed", at);
        failedTime = at;
        terminalAt = at;
        event("Warning", "Failed", "Init container " + init.spec.name + " exited with code " + code, at);
        return;
      }
    }
    for (ContainerRuntime c : containers) {
      if (restart && c.current.state.equals("Running")) {
        c.terminate(at, 137, "Error", "restarted");
        c.restart(at);
      } else if (restart && c.terminated()) {
        c.restart(at);
      } else {
        c.start(at);
      }
      event("Normal", "Started", "Started container " + c.spec.name, at);
    }
    setStatus("Running", at);
  }

  private void containerExited(ContainerRuntime c, Instant at) {
    int code = c.orderedExitCode != null ? c.orderedExitCode : c.spec.exitCode;
    c.orderedExitCode = null;
    c.terminate(at, code, code == 0 ? "Completed" : "Error", null);
    boolean restart = restartPolicy.equals("Always") || (restartPolicy.equals("OnFailure") && code != 0);
    if (restart) {
      event("Warning", "BackOff", "Back-off restarting container " + c.spec.name, at);
      c.restart(at);
      return;
    }
    if (containers.stream().allMatch(ContainerRuntime::terminated)) {
      boolean allSucceeded = containers.stream().allMatch(x -> x.current.exitCode != null && x.current.exitCode == 0);
      setStatus(allSucceeded ? "Succeeded" : "Failed", at);
      if (allSucceeded) {
        succeededTime = at;
      } else {
        failedTime = at;
      }
      terminalAt = at;
    }
  }

  /** ECI stops a group whose account is overdue: every container terminates and the group is Expired. */
  void expire(Instant now) {
    for (ContainerRuntime c : containers) {
      if (c.current.state.equals("Running")) {
        c.terminate(now, 137, "Error", "expired");
      }
      c.exitAt = null;
    }
    nextStep = Step.NONE;
    setStatus("Expired", now);
    expiredTime = now;
    terminalAt = now;
    event("Warning", "Expired", "The container group " + id + " expired", now);
  }

  /** Starts deleting: Terminating now, gone after {@code delay}. */
  void beginDelete(Instant now, Duration delay) {
    setStatus("Terminating", now);
    for (ContainerRuntime c : containers) {
      if (c.current.state.equals("Running")) {
        c.terminate(now, 0, "Completed", "deleted");
      }
      c.exitAt = null;
    }
    event("Normal", "Killing", "Stopping all containers of " + id, now);
    schedule(Step.FINISH_DELETE, now.plus(delay));
  }

  void beginRestart(Instant now, Duration delay) {
    setStatus("Restarting", now);
    terminalAt = null;
    for (ContainerRuntime c : containers) {
      c.exitAt = null;
    }
    event("Normal", "Restarting", "Restarting container group " + id, now);
    schedule(Step.FINISH_RESTART, now.plus(delay));
  }

  /**
   * Applies an update. An image from a registry the group had credentials for, which the new spec no longer
   * carries (a RenewUpdate that did not resend them), cannot be pulled.
   */
  void beginUpdate(GroupSpec newSpec, Instant now, Duration delay) {
    Map<String, ContainerRuntime> old = new LinkedHashMap<>();
    containers.forEach(c -> old.put(c.spec.name, c));
    java.util.Set<String> lostRegistries = registries(spec);
    lostRegistries.removeAll(registries(newSpec));
    applySpec(newSpec);
    for (int i = 0; i < containers.size(); i++) {
      ContainerRuntime before = old.get(containers.get(i).spec.name);
      if (before != null) {
        before.spec = containers.get(i).spec;
        before.exitAt = null;
        containers.set(i, before);
      }
    }
    for (ContainerRuntime c : allContainers()) {
      c.pullDenied = lostRegistries.contains(registryOf(c.spec.image));
      if (c.pullDenied) {
        c.waitFor("Pulling image");
      }
    }
    setStatus("Updating", now);
    terminalAt = null;
    event("Normal", "Updating", "Updating container group " + id, now);
    schedule(Step.FINISH_UPDATE, now.plus(delay));
  }

  private static java.util.Set<String> registries(GroupSpec spec) {
    java.util.Set<String> servers = new java.util.HashSet<>();
    spec.imageRegistryCredentials.forEach(c -> servers.add((String) c.get("Server")));
    return servers;
  }

  /** The registry host of an image reference, {@code docker.io} when it names none. */
  static String registryOf(String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
  }

  List<ContainerRuntime> allContainers() {
    List<ContainerRuntime> all = new ArrayList<>(initContainers);
    all.addAll(containers);
    return all;
  }

  ContainerRuntime container(String name) {
    for (ContainerRuntime c : allContainers()) {
      if (c.spec.name.equals(name)) {
        return c;
      }
    }
    return null;
  }
}
