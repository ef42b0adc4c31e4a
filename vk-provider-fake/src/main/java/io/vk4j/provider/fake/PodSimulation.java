package io.vk4j.provider.fake;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodIP;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.GoDuration;
import io.vk4j.api.PodContainers;
import io.vk4j.api.PodEnvironment;
import io.vk4j.api.PodStats;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ScheduledFuture;

/**
 * One pod in the fake backend: a small state machine driven by the provider's scheduler that moves
 * the pod through what a kubelet would report (pending, init containers, running, exits, restarts,
 * termination) and publishes every change, in order, while holding this object's lock.
 */
final class PodSimulation {
  enum Stage { PENDING, RUNNING, TERMINAL }

  private static final String ALWAYS = "Always";
  private static final String ON_FAILURE = "OnFailure";

  private final FakeProvider provider;
  final String namespace;
  final String name;
  final String uid;
  final String podIp;
  private final List<V1PodIP> podIps;
  private final PodScript script;
  private final String qosClass;
  private final ContainerSimulation[] initContainers;
  private final ContainerSimulation[] containers;
  private V1Pod pod;
  private int initIndex;
  private Stage stage = Stage.PENDING;
  private String terminalPhase;
  private boolean deleted;
  private boolean released;
  private OffsetDateTime createdAt;
  private OffsetDateTime initializedAt;
  private OffsetDateTime readyChangedAt;
  private V1PodStatus status;
  private ScheduledFuture<?> next;
  private int epoch;

  PodSimulation(FakeProvider provider, V1Pod pod, PodScript script, String podIp) {
    this.provider = provider;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.uid = pod.getMetadata().getUid();
    this.podIp = podIp;
    this.podIps = List.of(new V1PodIP().ip(podIp));
    this.script = script;
    this.qosClass = qosClass(pod);
    List<V1Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    this.initContainers = new ContainerSimulation[inits.size()];
    for (int i = 0; i < initContainers.length; i++) {
      initContainers[i] = new ContainerSimulation(uid, inits.get(i).getName(), inits.get(i).getImage(), true, "PodInitializing");
    }
    List<V1Container> mains = pod.getSpec().getContainers();
    this.containers = new ContainerSimulation[mains.size()];
    String waitingReason = inits.isEmpty() ? "ContainerCreating" : "PodInitializing";
    for (int i = 0; i < containers.length; i++) {
      containers[i] = new ContainerSimulation(uid, mains.get(i).getName(), mains.get(i).getImage(), false, waitingReason);
    }
    this.pod = own(pod);
    // the first status exists before the pod is visible to other threads
    createdAt = provider.now();
    readyChangedAt = createdAt;
    if (initContainers.length == 0) {
      initializedAt = createdAt;
    }
    status = buildStatus();
  }

  /** Drops what the backend never needs (managed fields are large) and fills the deferred env. */
  private V1Pod own(V1Pod given) {
    given.getMetadata().setManagedFields(null);
    given.setStatus(null);
    PodEnvironment.resolveAddresses(given, podIp, provider.options().hostIp());
    return given;
  }

  /** Reports the first status and starts the clock. */
  synchronized void start() {
    provider.notifyStatus(snapshot());
    schedule(startDelay(), this::advance);
    if (script.vanishAfter() != null) {
      provider.schedule(this::vanish, script.vanishAfter());
    }
  }

  /** Gone from the backend behind the runtime's back: no terminal status, no more answers. */
  private synchronized void vanish() {
    close();
    release();
    provider.vanish(this);
  }

  private Duration startDelay() {
    return script.startDelay() != null ? script.startDelay() : provider.options().startDelay();
  }

  /** One step of the start-up: the next init container, or the main containers. */
  private void advance() {
    if (initIndex < initContainers.length) {
      ContainerSimulation current = initContainers[initIndex];
      if (current.state() == ContainerSimulation.State.RUNNING) {
        current.terminate(provider.now(), provider.instant(), 0, "Completed", null);
        initIndex++;
      }
      if (initIndex < initContainers.length) {
        startContainer(initContainers[initIndex], false);
        publish();
        schedule(startDelay(), this::advance);
        return;
      }
      initializedAt = provider.now();
    }
    for (ContainerSimulation container : containers) {
      startContainer(container, false);
    }
    stage = Stage.RUNNING;
    readyChangedAt = provider.now();
    publish();
    scheduleExit();
  }

  private void startContainer(ContainerSimulation container, boolean restart) {
    provider.imagePresent(pod, container.image());
    int capacity = provider.options().logLinesPerContainer();
    if (restart) {
      container.restart(provider.now(), provider.instant(), capacity, script.logLines());
    } else {
      container.start(provider.now(), provider.instant(), capacity, script.logLines());
    }
  }

  private void scheduleExit() {
    if (script.exitAfter() != null) {
      schedule(script.exitAfter(), this::exit);
    }
  }

  /** The scripted exit of the main containers, then a restart or the end, as the restart policy says. */
  private void exit() {
    int code = script.exitCode();
    for (ContainerSimulation container : containers) {
      container.terminate(provider.now(), provider.instant(), code, code == 0 ? "Completed" : "Error", null);
    }
    readyChangedAt = provider.now();
    String policy = pod.getSpec().getRestartPolicy() == null ? ALWAYS : pod.getSpec().getRestartPolicy();
    boolean restart = policy.equals(ALWAYS) || (policy.equals(ON_FAILURE) && code != 0);
    if (!restart) {
      becomeTerminal(code == 0 ? "Succeeded" : "Failed");
      return;
    }
    publish();
    Duration backoff = backoff(containers.length == 0 ? 0 : containers[0].restartCount());
    if (backoff.isZero()) {
      restartContainers();
      return;
    }
    for (ContainerSimulation container : containers) {
      container.backOff("CrashLoopBackOff", "back-off " + GoDuration.format(backoff)
          + " restarting failed container=" + container.name + " pod=" + name + "_" + namespace + "(" + uid + ")");
    }
    publish();
    schedule(backoff, this::restartContainers);
  }

  /** Like the kubelet: the first restart is immediate, then the back-off doubles up to its cap. */
  private Duration backoff(int restarts) {
    if (restarts == 0) {
      return Duration.ZERO;
    }
    Duration base = provider.options().restartBackoff();
    Duration max = provider.options().maxRestartBackoff();
    Duration delay = base;
    for (int i = 1; i < restarts && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  private void restartContainers() {
    for (ContainerSimulation container : containers) {
      startContainer(container, true);
    }
    readyChangedAt = provider.now();
    publish();
    scheduleExit();
  }

  /**
   * Stops the pod, now or after the scripted hang. Idempotent.
   *
   * @return whether the pod is now terminal (and may be forgotten after the retention)
   */
  synchronized boolean delete(Long gracePeriodSeconds) {
    if (deleted) {
      return stage == Stage.TERMINAL;
    }
    deleted = true;
    if (stage == Stage.TERMINAL) {
      return true;
    }
    Duration hang = script.hangOnDelete();
    if (hang == null) {
      stop(gracePeriodSeconds);
      return true;
    }
    if (hang.equals(PodScript.FOREVER)) {
      cancelSteps();
    } else {
      schedule(hang, () -> {
        stop(gracePeriodSeconds);
        provider.forgetLater(this);
      });
    }
    return false;
  }

  /** What a kubelet reports once a deleted pod's containers are gone. */
  private void stop(Long gracePeriodSeconds) {
    boolean kill = gracePeriodSeconds != null && gracePeriodSeconds == 0;
    int code = kill ? 137 : 0;
    boolean allSucceeded = true;
    for (ContainerSimulation container : allContainers()) {
      switch (container.state()) {
        case RUNNING -> {
          container.log().append(provider.instant(), kill ? "killed" : "received SIGTERM, stopping");
          container.terminate(provider.now(), provider.instant(), code, kill ? "Error" : "Completed", null);
        }
        case WAITING -> container.terminate(provider.now(), provider.instant(), 137, "ContainerStatusUnknown",
            "The container could not be located when the pod was deleted.  The container used to be Running");
        case TERMINATED -> { }
      }
    }
    for (ContainerSimulation container : containers) {
      allSucceeded &= container.exitCode() == 0;
    }
    readyChangedAt = provider.now();
    becomeTerminal(allSucceeded ? "Succeeded" : "Failed");
  }

  private void becomeTerminal(String phase) {
    cancelSteps();
    stage = Stage.TERMINAL;
    terminalPhase = phase;
    for (ContainerSimulation container : allContainers()) {
      container.endLogs();
    }
    publish();
    release();
  }

  /** A newer pod of the same name replaced this one: stop silently. */
  synchronized void supersede() {
    close();
    release();
  }

  /** The provider is closing: stop the timers and end every log stream. */
  synchronized void close() {
    cancelSteps();
    for (ContainerSimulation container : allContainers()) {
      container.endLogs();
    }
  }

  private void release() {
    if (!released) {
      released = true;
      provider.release(this);
    }
  }

  /** Applies a new spec: new metadata, and a restart of the containers whose image changed. */
  synchronized void update(V1Pod updated) {
    V1Pod owned = own(updated);
    Map<String, String> images = new HashMap<>();
    for (V1Container container : owned.getSpec().getContainers()) {
      images.put(container.getName(), container.getImage());
    }
    for (ContainerSimulation container : containers) {
      String image = images.get(container.name);
      if (image == null || image.equals(container.image())) {
        continue;
      }
      boolean running = container.state() == ContainerSimulation.State.RUNNING;
      if (running) {
        container.terminate(provider.now(), provider.instant(), 0, "Completed", "image changed");
      }
      container.image(image);
      if (running) {
        startContainer(container, true);
      }
    }
    pod = owned;
    publish();
  }

  synchronized boolean isDeleted() {
    return deleted;
  }

  synchronized boolean isTerminal() {
    return stage == Stage.TERMINAL;
  }

  synchronized V1Pod snapshot() {
    return new V1Pod().apiVersion("v1").kind("Pod").metadata(pod.getMetadata()).spec(pod.getSpec()).status(status);
  }

  synchronized V1PodStatus status() {
    return status;
  }

  /** The container's spec and simulation, when the pod has a container of that name. */
  synchronized Optional<ContainerView> container(String containerName) {
    for (ContainerSimulation container : allContainers()) {
      if (container.name.equals(containerName)) {
        V1Container spec = PodContainers.named(pod, containerName).orElseThrow();
        String hostname = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : name;
        return Optional.of(new ContainerView(spec, container.state(), container.log(), container.previousLog(),
            hostname, podIp));
      }
    }
    return Optional.empty();
  }

  /** What listens on {@code port} of the pod while it runs (see {@link FakePorts}). */
  synchronized Optional<FakePorts.Kind> listening(int port) {
    return stage == Stage.RUNNING ? FakePorts.of(pod, script.ports(), port) : Optional.empty();
  }

  /** A consistent picture of one container, taken under the pod's lock. */
  record ContainerView(V1Container spec, ContainerSimulation.State state, ContainerLog log,
      ContainerLog previousLog, String hostname, String podIp) {}

  /** Plausible usage that depends only on the pod, its containers and their uptime; empty unless running. */
  synchronized Optional<PodStats> stats(Instant now) {
    if (stage != Stage.RUNNING) {
      return Optional.empty();
    }
    List<ContainerStats> stats = new ArrayList<>();
    long podSeconds = Math.max(0, now.getEpochSecond() - createdAt.toEpochSecond());
    for (ContainerSimulation container : containers) {
      if (container.state() != ContainerSimulation.State.RUNNING) {
        continue;
      }
      int hash = (uid + "/" + container.name).hashCode();
      long nanoCores = (1 + Math.floorMod(hash, 50)) * 1_000_000L;
      long seconds = Math.max(0, now.getEpochSecond() - container.startedAt().toEpochSecond());
      stats.add(ContainerStats.builder()
          .name(container.name)
          .time(now)
          .cpuUsageNanoCores(nanoCores)
          .cpuUsageCoreNanoSeconds(nanoCores * seconds)
          .memoryWorkingSetBytes((8 + Math.floorMod(hash >> 8, 120)) * 1024L * 1024L)
          .build());
    }
    long rate = 1024 + Math.floorMod(uid.hashCode(), 4096);
    return Optional.of(PodStats.builder()
        .namespace(namespace)
        .name(name)
        .uid(uid)
        .time(now)
        .containers(stats)
        .networkRxBytes(rate * podSeconds)
        .networkTxBytes(rate / 2 * podSeconds)
        .build());
  }

  private void publish() {
    V1PodStatus next = buildStatus();
    if (next.equals(status)) {
      return;
    }
    status = next;
    provider.notifyStatus(snapshot());
  }

  private V1PodStatus buildStatus() {
    V1PodStatus built = new V1PodStatus()
        .phase(phase())
        .hostIP(provider.options().hostIp())
        .podIP(podIp)
        .podIPs(podIps)
        .startTime(createdAt)
        .qosClass(qosClass)
        .conditions(conditions());
    // the generated model starts every collection empty; drop those a kubelet leaves unset (thousands of pods)
    built.setAllocatedResources(null);
    built.setEphemeralContainerStatuses(null);
    built.setHostIPs(null);
    built.setInitContainerStatuses(null);
    built.setNodeAllocatableResourceClaimStatuses(null);
    built.setResourceClaimStatuses(null);
    List<V1ContainerStatus> statuses = new ArrayList<>(containers.length);
    for (ContainerSimulation container : containers) {
      statuses.add(container.status());
    }
    built.setContainerStatuses(statuses);
    if (initContainers.length > 0) {
      List<V1ContainerStatus> initStatuses = new ArrayList<>(initContainers.length);
      for (ContainerSimulation container : initContainers) {
        initStatuses.add(container.status());
      }
      built.setInitContainerStatuses(initStatuses);
    }
    return built;
  }

  private String phase() {
    return switch (stage) {
      case PENDING -> "Pending";
      case RUNNING -> "Running";
      case TERMINAL -> terminalPhase;
    };
  }

  private List<V1PodCondition> conditions() {
    V1PodCondition initialized = initializedAt != null
        ? condition("Initialized", true, initializedAt, null, null)
        : condition("Initialized", false, createdAt, "ContainersNotInitialized",
            "containers with incomplete status: " + names(initContainers, ContainerSimulation.State.TERMINATED));
    boolean ready = stage == Stage.RUNNING && allRunning();
    String reason = ready ? null : "Succeeded".equals(terminalPhase) ? "PodCompleted" : "ContainersNotReady";
    String message = ready || reason.equals("PodCompleted") ? null
        : "containers with unready status: " + names(containers, ContainerSimulation.State.RUNNING);
    return List.of(
        initialized,
        condition("Ready", ready, readyChangedAt, reason, message),
        condition("ContainersReady", ready, readyChangedAt, reason, message),
        condition("PodScheduled", true, createdAt, null, null));
  }

  private boolean allRunning() {
    for (ContainerSimulation container : containers) {
      if (container.state() != ContainerSimulation.State.RUNNING) {
        return false;
      }
    }
    return true;
  }

  /** The names of the containers not in {@code good}, as the kubelet lists them. */
  private static String names(ContainerSimulation[] of, ContainerSimulation.State good) {
    StringJoiner joiner = new StringJoiner(" ", "[", "]");
    for (ContainerSimulation container : of) {
      if (container.state() != good) {
        joiner.add(container.name);
      }
    }
    return joiner.toString();
  }

  private static V1PodCondition condition(String type, boolean value, OffsetDateTime since, String reason,
      String message) {
    return new V1PodCondition().type(type).status(value ? "True" : "False").lastTransitionTime(since)
        .reason(reason).message(message);
  }

  private List<ContainerSimulation> allContainers() {
    List<ContainerSimulation> all = new ArrayList<>(initContainers.length + containers.length);
    all.addAll(List.of(initContainers));
    all.addAll(List.of(containers));
    return all;
  }

  /** Runs {@code step} under this pod's lock after {@code delay}, replacing any pending step. */
  private void schedule(Duration delay, Runnable step) {
    cancelSteps();
    int expected = epoch;
    next = provider.schedule(() -> {
      synchronized (this) {
        if (epoch == expected) {
          next = null; // do not keep a finished task per pod
          if (stage != Stage.TERMINAL) {
            step.run();
          }
        }
      }
    }, delay);
  }

  private void cancelSteps() {
    epoch++;
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  /** BestEffort, Burstable or Guaranteed, from the containers' requests and limits. */
  static String qosClass(V1Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (V1Container container : PodContainers.all(pod)) {
      V1ResourceRequirements resources = container.getResources();
      Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
      Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
      any |= !requests.isEmpty() || !limits.isEmpty();
      for (String resource : List.of("cpu", "memory")) {
        Quantity limit = limits.get(resource);
        Quantity request = requests.getOrDefault(resource, limit);
        if (limit == null || !limit.equals(request)) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }
}
