package io.vk4j.eci.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** The running state of one container of a group. Guarded by the store's lock. */
final class ContainerRuntime {

  static final int MAX_LOG_LINES = 2000;
  /** Restarts of a container that exits immediately are spaced by at least this. */
  static final Duration MIN_RESTART_PERIOD = Duration.ofSeconds(1);

  /** One container state as ECI reports it in CurrentState and PreviousState. */
  static final class State {
    final String state;
    final String detailStatus;
    final Instant startTime;
    final Instant finishTime;
    final Integer exitCode;
    final String reason;
    final String message;

    State(String state, String detailStatus, Instant startTime, Instant finishTime, Integer exitCode, String reason, String message) {
      this.state = state;
      this.detailStatus = detailStatus;
      this.startTime = startTime;
      this.finishTime = finishTime;
      this.exitCode = exitCode;
      this.reason = reason;
      this.message = message;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("State", state);
      m.put("DetailStatus", detailStatus == null ? "" : detailStatus);
      if (startTime != null) {
        m.put("StartTime", Times.format(startTime));
      }
      if (finishTime != null) {
        m.put("FinishTime", Times.format(finishTime));
      }
      if (exitCode != null) {
        m.put("ExitCode", exitCode);
      }
      if (reason != null) {
        m.put("Reason", reason);
      }
      if (message != null) {
        m.put("Message", message);
      }
      m.put("Signal", 0);
      return m;
    }
  }

  /** One log line with the time it was written. */
  record LogLine(Instant at, String text) {}

  ContainerSpec spec;
  final boolean init;
  State current;
  State previous;
  int restartCount;
  boolean ready;
  /** When a running container with an exit scripted terminates; null otherwise. */
  Instant exitAt;
  /** Set when an update dropped the registry credentials this container's image needs. */
  boolean pullDenied;
  /** Exit code of an exit ordered through the emulator's API, overriding the scripted one. */
  Integer orderedExitCode;
  final Deque<LogLine> logs = new ArrayDeque<>();
  final Deque<LogLine> previousLogs = new ArrayDeque<>();

  ContainerRuntime(ContainerSpec spec, boolean init) {
    this.spec = spec;
    this.init = init;
    this.current = new State("Waiting", "Scheduling", null, null, null, "ContainerCreating", null);
  }

  void waitFor(String detail) {
    current = new State("Waiting", detail, null, null, null, "ContainerCreating", null);
    ready = false;
  }

  void pullFailed() {
    current = new State("Waiting", "ErrImagePull", null, null, null, "ErrImagePull",
        "failed to pull image \"" + spec.image + "\": the emulator was told to fail it (" + ContainerSpec.PULL_FAILS_ENV + ")");
    ready = false;
  }

  void start(Instant at) {
    current = new State("Running", "working", at, null, null, null, null);
    ready = spec.ready;
    for (String line : spec.startupLog()) {
      log(at, line);
    }
    exitAt = spec.exitAfter.map(after -> at.plus(after)).orElse(null);
  }

  void terminate(Instant at, int code, String reason, String message) {
    Instant started = current.startTime == null ? at : current.startTime;
    current = new State("Terminated", reason, started, at, code, reason, message);
    ready = false;
    exitAt = null;
    log(at, "emulator: container " + spec.name + " exited with code " + code);
  }

  /** Moves the terminated state to PreviousState and starts again. */
  void restart(Instant at) {
    previous = current;
    restartCount++;
    previousLogs.clear();
    previousLogs.addAll(logs);
    logs.clear();
    start(at);
    if (exitAt != null && exitAt.isBefore(at.plus(MIN_RESTART_PERIOD))) {
      exitAt = at.plus(MIN_RESTART_PERIOD);
    }
  }

  boolean terminated() {
    return current.state.equals("Terminated");
  }

  void log(Instant at, String line) {
    logs.addLast(new LogLine(at, line));
    while (logs.size() > MAX_LOG_LINES) {
      logs.removeFirst();
    }
  }
}
