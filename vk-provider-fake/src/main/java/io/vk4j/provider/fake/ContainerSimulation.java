package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One container of a simulated pod: its state as a kubelet reports it, and its log. Not
 * thread-safe: its {@link PodSimulation} guards it.
 */
final class ContainerSimulation {
  enum State { WAITING, RUNNING, TERMINATED }

  private static final Map<String, String> IMAGE_IDS = new ConcurrentHashMap<>();

  final String name;
  private final String podUid;
  private final boolean init;
  private String containerId;
  private String image;
  private State state = State.WAITING;
  private String waitingReason;
  private String waitingMessage;
  private OffsetDateTime startedAt;
  private OffsetDateTime finishedAt;
  private int exitCode;
  private String terminatedReason;
  private String terminatedMessage;
  private int restartCount;
  private V1ContainerStateTerminated lastTerminated;
  private ContainerLog log;
  private ContainerLog previousLog;

  ContainerSimulation(String podUid, String name, String image, boolean init, String waitingReason) {
    this.podUid = podUid;
    this.name = name;
    this.image = image;
    this.init = init;
    this.waitingReason = waitingReason;
  }

  State state() {
    return state;
  }

  int exitCode() {
    return exitCode;
  }

  int restartCount() {
    return restartCount;
  }

  OffsetDateTime startedAt() {
    return startedAt;
  }

  String image() {
    return image;
  }

  void image(String image) {
    this.image = image;
  }

  ContainerLog log() {
    return log;
  }

  ContainerLog previousLog() {
    return previousLog;
  }

  void waiting(String reason, String message) {
    state = State.WAITING;
    waitingReason = reason;
    waitingMessage = message;
  }

  /** Waits to be restarted after a crash: the instance that just ended becomes the last state. */
  void backOff(String reason, String message) {
    lastTerminated = terminatedState();
    waiting(reason, message);
  }

  /** Starts a new instance: a fresh log that first says what started, then the scripted lines. */
  void start(OffsetDateTime now, Instant instant, int logCapacity, Iterable<String> lines) {
    if (log != null) {
      previousLog = log;
    }
    log = new ContainerLog(logCapacity);
    log.append(instant, "fake container " + name + " started (image " + image + ")");
    for (String line : lines) {
      log.append(instant, line);
    }
    state = State.RUNNING;
    containerId = "fake://" + sha256(podUid + "/" + name + "/" + restartCount).substring(0, 32);
    startedAt = now;
    finishedAt = null;
    waitingReason = null;
    waitingMessage = null;
  }

  /** A restart: the terminated instance becomes the last state, and the count goes up. */
  void restart(OffsetDateTime now, Instant instant, int logCapacity, Iterable<String> lines) {
    lastTerminated = terminatedState();
    restartCount++;
    start(now, instant, logCapacity, lines);
  }

  void terminate(OffsetDateTime now, Instant instant, int code, String reason, String message) {
    if (log != null) {
      log.append(instant, "fake container " + name + " exited with code " + code);
      log.end();
    }
    if (state == State.WAITING && startedAt != null) {
      // crash-looping: the last instance has already terminated, report it as it was
      state = State.TERMINATED;
      return;
    }
    if (state == State.WAITING) {
      startedAt = null;
    }
    state = State.TERMINATED;
    exitCode = code;
    terminatedReason = reason;
    terminatedMessage = message;
    finishedAt = now;
    waitingReason = null;
    waitingMessage = null;
  }

  /** Ends the log of the current instance, so that followers reach the end of their stream. */
  void endLogs() {
    if (log != null) {
      log.end();
    }
  }

  boolean everStarted() {
    return startedAt != null || lastTerminated != null;
  }

  V1ContainerStatus status() {
    V1ContainerState current = switch (state) {
      case WAITING -> new V1ContainerState().waiting(
          new V1ContainerStateWaiting().reason(waitingReason).message(waitingMessage));
      case RUNNING -> new V1ContainerState().running(new V1ContainerStateRunning().startedAt(startedAt));
      case TERMINATED -> new V1ContainerState().terminated(terminatedState());
    };
    boolean started = everStarted();
    V1ContainerStatus status = new V1ContainerStatus()
        .name(name)
        .image(image)
        .imageID(started ? imageId(image) : "")
        .containerID(containerId)
        .state(current)
        .lastState(lastTerminated == null ? new V1ContainerState() : new V1ContainerState().terminated(lastTerminated))
        .ready(init ? state == State.TERMINATED && exitCode == 0 : state == State.RUNNING)
        .started(state == State.RUNNING)
        .restartCount(restartCount);
    status.setAllocatedResources(null);
    status.setAllocatedResourcesStatus(null);
    status.setVolumeMounts(null);
    return status;
  }

  private V1ContainerStateTerminated terminatedState() {
    return new V1ContainerStateTerminated()
        .exitCode(exitCode)
        .reason(terminatedReason)
        .message(terminatedMessage)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .containerID(startedAt == null ? null : containerId);
  }

  /** The ID of the current (or last) instance, shaped like a container runtime's; null before it started. */
  String containerId() {
    return containerId;
  }

  static String imageId(String image) {
    return IMAGE_IDS.computeIfAbsent(image, i -> stripTag(i) + "@sha256:" + sha256(i));
  }

  private static String stripTag(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(0, at);
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
