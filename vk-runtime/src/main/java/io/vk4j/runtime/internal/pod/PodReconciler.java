package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.env.EnvResolution;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one pod key to its desired state: the provider runs exactly the pods the API server binds
 * to this node (by UID), pods being deleted are stopped and then removed, and the API server shows
 * the provider's status, with the container Events a kubelet records. Called by one worker at a
 * time per key.
 */
final class PodReconciler {
  private static final Logger log = LoggerFactory.getLogger(PodReconciler.class);
  private static final Duration DELETE_RECHECK = Duration.ofSeconds(5);

  private final Provider provider;
  private final String providerName;
  private final EnvResolver env;
  private final PodEventRecorder events;
  private final PodStatusWriter writer;
  private final PodCache cache;
  private final PodBook book;
  private final ProviderCalls calls;
  private final Clock clock;
  private final Duration progressDelay;
  private final Duration vanishGrace;
  private final NodeMetrics metrics;

  /**
   * @param progressDelay how long a Pending status waits before it is written, in case Running follows
   * @param vanishGrace how long a pod may be missing from the provider before it is reported Failed
   */
  PodReconciler(Provider provider, String providerName, EnvResolver env, PodEventRecorder events,
      PodStatusWriter writer, PodCache cache, PodBook book, ProviderCalls calls, Clock clock,
      Duration progressDelay, Duration vanishGrace) {
    this(provider, providerName, env, events, writer, cache, book, calls, clock, progressDelay, vanishGrace,
        NodeMetrics.discarding());
  }

  PodReconciler(Provider provider, String providerName, EnvResolver env, PodEventRecorder events,
      PodStatusWriter writer, PodCache cache, PodBook book, ProviderCalls calls, Clock clock,
      Duration progressDelay, Duration vanishGrace, NodeMetrics metrics) {
    this.metrics = metrics;
    this.provider = provider;
    this.providerName = providerName;
    this.env = env;
    this.events = events;
    this.writer = writer;
    this.cache = cache;
    this.book = book;
    this.calls = calls;
    this.clock = clock;
    this.progressDelay = progressDelay;
    this.vanishGrace = vanishGrace;
  }

  Outcome reconcile(String key) throws InterruptedException {
    Outcome predecessors = finishDeletedPods(key);
    if (predecessors != Outcome.DONE) {
      return predecessors;
    }
    V1Pod pod = cache.get(key);
    if (pod == null) {
      return Outcome.DONE;
    }
    PodRecord record = book.recordOf(pod);
    try {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        return delete(pod, record);
      }
      if (!record.created && Pods.isTerminal(pod)) {
        return Outcome.DONE; // finished pods are never started again
      }
      int spec = SpecFingerprint.of(pod);
      if (!record.created) {
        if (record.rejected && record.rejectedSpecHash == spec) {
          return Outcome.DONE;
        }
        Outcome created = create(pod, record, spec);
        if (created != null) {
          return created;
        }
      } else if (record.specHash != spec && !(record.rejected && record.rejectedSpecHash == spec)) {
        Outcome updated = update(pod, record, spec);
        if (updated != null) {
          return updated;
        }
      }
      return syncStatus(pod, record);
    } catch (ApiException e) {
      metrics.reconcileError("api");
      log.warn("pod {}: API server request failed: {}", key, ApiErrors.describe(e));
      return Outcome.retry();
    }
  }

  /** Stops in the provider the pods of this key that were removed from the API server. */
  private Outcome finishDeletedPods(String key) {
    Map<String, V1Pod> gone = book.tombstones(key);
    if (gone == null) {
      return Outcome.DONE;
    }
    for (V1Pod pod : gone.values()) {
      PodRecord record = book.record(Pods.uid(pod));
      // without a record (never reconciled) the provider may or may not have it: ask it to delete
      boolean inProvider = record == null || (record.created && !record.deleted);
      if (inProvider) {
        try {
          calls.run("deletePod", "deletePod of " + key, () -> {
            provider.deletePod(Pods.copy(pod));
            return null;
          });
        } catch (NotFoundException e) {
          // gone already
        } catch (ProviderException | RuntimeException e) {
          metrics.reconcileError("delete");
          events.warning(pod, "ProviderDeleteFailed", "Deleting the pod in provider " + providerName
              + " failed: " + describe(e));
          log.warn("pod {} ({}): provider delete failed: {}", key, Pods.uid(pod), describe(e));
          return retryAfter(e);
        }
      }
      book.forget(key, Pods.uid(pod));
    }
    return Outcome.DONE;
  }

  private Outcome create(V1Pod pod, PodRecord record, int spec) throws ApiException, InterruptedException {
    V1Pod resolved = Pods.copy(pod);
    EnvResolution resolution;
    try {
      resolution = env.resolve(resolved);
    } catch (InvalidInputException e) {
      return rejected(pod, record, spec, "Provider " + providerName + " cannot run the pod: " + e.getMessage(), e);
    } catch (ProviderException e) {
      return failedAttempt(pod, "ProviderCreateFailed", e);
    }
    resolution.events().forEach(e -> record(pod, e.warning(), e.reason(), e.message()));
    if (resolution.failure().isPresent()) {
      EnvResolution.Failure failure = resolution.failure().get();
      writeProblem(pod, "Pending", failure.reason(), failure.message(), 0);
      return Outcome.retry();
    }
    try {
      calls.run("createPod", "createPod of " + Pods.key(pod), () -> {
        provider.createPod(resolved);
        return null;
      });
    } catch (InvalidInputException e) {
      return rejected(pod, record, spec, "Provider " + providerName + " cannot run the pod: " + e.getMessage(), e);
    } catch (ProviderException | RuntimeException e) {
      return failedAttempt(pod, "ProviderCreateFailed", e);
    }
    record.created = true;
    record.rejected = false;
    record.specHash = spec;
    // no Event of its own: a kubelet records none here, and the container Events that follow say it
    return null;
  }

  /** The pod can never run as specified: Failed with the reason, not retried until its spec changes. */
  private Outcome rejected(V1Pod pod, PodRecord record, int spec, String message, InvalidInputException e)
      throws ApiException, InterruptedException {
    metrics.reconcileError("create");
    events.warning(pod, "ProviderCreateFailed", message);
    record.rejected = true;
    record.rejectedSpecHash = spec;
    writeProblem(pod, "Failed", e.reason(), e.getMessage(), 1);
    return Outcome.DONE;
  }

  private Outcome update(V1Pod pod, PodRecord record, int spec) throws InterruptedException {
    V1Pod resolved = Pods.copy(pod);
    try {
      EnvResolution resolution = env.resolve(resolved);
      if (resolution.failure().isPresent()) {
        // the running pod keeps its old environment; the update waits for the reference
        events.warning(pod, resolution.failure().get().reason(), resolution.failure().get().message());
        return Outcome.retry();
      }
      calls.run("updatePod", "updatePod of " + Pods.key(pod), () -> {
        provider.updatePod(resolved);
        return null;
      });
    } catch (InvalidInputException e) {
      metrics.reconcileError("update");
      // the pod keeps running as it is; the change is not retried until the spec changes again
      events.warning(pod, "ProviderUpdateFailed", "Provider " + providerName + " cannot apply the change: "
          + e.getMessage());
      record.rejected = true;
      record.rejectedSpecHash = spec;
      return null;
    } catch (ProviderException | RuntimeException e) {
      metrics.reconcileError("update");
      events.warning(pod, "ProviderUpdateFailed", "Updating the pod in provider " + providerName + " failed: "
          + describe(e));
      return retryAfter(e);
    }
    record.specHash = spec;
    record.rejected = false;
    events.normal(pod, "ProviderUpdated", "Updated in provider " + providerName);
    return null;
  }

  private Outcome delete(V1Pod pod, PodRecord record) throws ApiException, InterruptedException {
    if (record.removalSent) {
      return Outcome.DONE; // the API server is removing it; its watch event follows
    }
    OffsetDateTime deadline = pod.getMetadata().getDeletionTimestamp();
    OffsetDateTime now = now();
    boolean graceOver = !now.isBefore(deadline);
    if (record.created && !record.deleted) {
      try {
        calls.run("deletePod", "deletePod of " + Pods.key(pod), () -> {
          provider.deletePod(Pods.copy(pod));
          return null;
        });
        record.deleted = true;
        recordKilling(pod);
      } catch (NotFoundException e) {
        record.deleted = true;
      } catch (ProviderException | RuntimeException e) {
        metrics.reconcileError("delete");
        events.warning(pod, "ProviderDeleteFailed", "Deleting the pod in provider " + providerName + " failed: "
            + describe(e));
        if (!graceOver) {
          return retryAfter(e);
        }
        // the grace period is over: remove the pod anyway; its tombstone keeps retrying the provider
      }
    }
    boolean stopped = !record.created;
    if (!stopped) {
      Optional<V1Pod> inProvider = providerPod(pod);
      if (inProvider == null) {
        return Outcome.retry();
      }
      stopped = inProvider.isEmpty() || Pods.isTerminal(inProvider.get());
    }
    if (stopped || graceOver) {
      writer.delete(pod);
      record.removalSent = true;
      return Outcome.DONE;
    }
    Duration left = Duration.between(now, deadline);
    return Outcome.recheck(left.compareTo(DELETE_RECHECK) < 0 ? left : DELETE_RECHECK);
  }

  /** The kubelet's Event for each container it stops. */
  private void recordKilling(V1Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return;
    }
    for (V1ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      if (container.getState() != null && container.getState().getRunning() != null) {
        events.normal(pod, "Killing", "Stopping container " + container.getName());
      }
    }
  }

  private Outcome syncStatus(V1Pod pod, PodRecord record) throws ApiException, InterruptedException {
    if (!record.created) {
      return Outcome.DONE;
    }
    Optional<V1Pod> inProvider = providerPod(pod);
    if (inProvider == null) {
      return Outcome.retry();
    }
    if (inProvider.isEmpty()) {
      return vanished(pod, record);
    }
    record.missingSince = 0;
    V1PodStatus reported = inProvider.get().getStatus();
    if (reported == null) {
      return Outcome.DONE;
    }
    if (pod.getMetadata().getResourceVersion() != null
        && pod.getMetadata().getResourceVersion().equals(record.syncedVersion) && reported.equals(record.syncedReport)) {
      return Outcome.DONE; // a resync or a repeated signal: neither side changed since they last agreed
    }
    V1PodStatus desired = PodStatuses.merge(pod.getStatus(), reported);
    if (PodStatuses.same(desired, pod.getStatus())) {
      record.progressSince = 0;
      synced(record, reported, pod);
      return Outcome.DONE;
    }
    if (PodStatuses.isProgressOnly(desired)) {
      // a Running status usually follows within moments: wait a little to write only that one
      long now = clock.millis();
      if (record.progressSince == 0) {
        record.progressSince = now;
      }
      long waited = now - record.progressSince;
      if (waited < progressDelay.toMillis()) {
        return Outcome.recheck(Duration.ofMillis(progressDelay.toMillis() - waited));
      }
    }
    record.progressSince = 0;
    List<ContainerEvents.Event> lifecycle = ContainerEvents.between(pod, pod.getStatus(), desired);
    Optional<V1Pod> written = writer.writeStatus(pod, desired);
    if (written.isPresent()) {
      cache.offer(written.get());
      synced(record, reported, written.get());
      lifecycle.forEach(e -> record(pod, e.warning(), e.reason(), e.message()));
    }
    return Outcome.DONE;
  }

  private static void synced(PodRecord record, V1PodStatus reported, V1Pod shown) {
    record.syncedReport = reported; // kept, not copied: getPod's results are never changed afterwards (SPI)
    record.syncedVersion = shown.getMetadata().getResourceVersion();
  }

  private Outcome vanished(V1Pod pod, PodRecord record) throws ApiException, InterruptedException {
    if (Pods.isTerminal(pod)) {
      return Outcome.DONE;
    }
    long now = clock.millis();
    if (record.missingSince == 0) {
      record.missingSince = now;
    }
    long missing = now - record.missingSince;
    if (missing < vanishGrace.toMillis()) {
      return Outcome.recheck(Duration.ofMillis(vanishGrace.toMillis() - missing));
    }
    String message = "The pod is no longer known to provider " + providerName;
    events.warning(pod, "ProviderPodNotFound", message);
    writeProblem(pod, "Failed", "ProviderPodNotFound", message, 137);
    return Outcome.DONE;
  }

  /** The provider's pod with this UID; empty when it has none; {@code null} when it failed to say. */
  private Optional<V1Pod> providerPod(V1Pod pod) {
    try {
      Optional<V1Pod> found = calls.call("getPod", "getPod of " + Pods.key(pod),
          () -> provider.getPod(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
      if (found.isPresent() && !Pods.uid(pod).equals(Pods.uid(found.get()))) {
        return Optional.empty(); // a predecessor of the same name
      }
      return found;
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (ProviderException | RuntimeException e) {
      metrics.reconcileError("status");
      log.warn("pod {}: provider getPod failed: {}", Pods.key(pod), describe(e));
      return null;
    }
  }

  private Outcome failedAttempt(V1Pod pod, String eventReason, Exception e) throws ApiException, InterruptedException {
    metrics.reconcileError("create");
    String reason = e instanceof ProviderException p ? p.reason() : "ProviderFailed";
    events.warning(pod, eventReason, "Creating the pod in provider " + providerName + " failed: " + describe(e));
    log.info("pod {}: {} ({}), will retry", Pods.key(pod), eventReason, describe(e));
    writeProblem(pod, "Pending", reason, describe(e), 0);
    return retryAfter(e);
  }

  private static Outcome retryAfter(Exception e) {
    if (e instanceof RetryableException r && r.retryAfter().isPresent()) {
      return Outcome.retry(r.retryAfter().get());
    }
    return Outcome.retry();
  }

  private void writeProblem(V1Pod pod, String phase, String reason, String message, int exitCode)
      throws ApiException, InterruptedException {
    V1PodStatus status = PodStatuses.problem(pod, phase, reason, message, exitCode, now());
    if (!PodStatuses.same(status, pod.getStatus()) && !sameProblem(pod.getStatus(), status)) {
      write(pod, status);
    }
  }

  /** The same problem as already written: only the times of the container states differ. */
  private static boolean sameProblem(V1PodStatus current, V1PodStatus problem) {
    return current != null && problem.getPhase().equals(current.getPhase())
        && problem.getReason().equals(current.getReason())
        && problem.getMessage().equals(current.getMessage());
  }

  /** Writes the status; whether the pod (this UID) is still there to have it. */
  private boolean write(V1Pod pod, V1PodStatus status) throws ApiException, InterruptedException {
    Optional<V1Pod> written = writer.writeStatus(pod, status);
    written.ifPresent(cache::offer);
    return written.isPresent();
  }

  private void record(V1Pod pod, boolean warning, String reason, String message) {
    if (warning) {
      events.warning(pod, reason, message);
    } else {
      events.normal(pod, reason, message);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String describe(Exception e) {
    if (e instanceof ProviderException p) {
      return p.getMessage() + " (" + p.reason() + ")";
    }
    return e.toString();
  }
}
