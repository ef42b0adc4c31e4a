package io.vk4j.runtime.internal.pod;

import static io.vk4j.runtime.internal.pod.TestPods.T0;
import static io.vk4j.runtime.internal.pod.TestPods.pod;
import static io.vk4j.runtime.internal.pod.TestPods.running;
import static io.vk4j.runtime.internal.pod.TestPods.waiting;
import static io.vk4j.runtime.internal.pod.TestPods.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.env.InMemorySources;
import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reconciler against a scripted provider, an in-memory cache and a recording writer: no API server. */
class PodReconcilerTest {
  private static final Duration PROGRESS_DELAY = Duration.ofSeconds(1);
  private static final Duration VANISH_GRACE = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(T0.toInstant());
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ScriptedProvider provider = new ScriptedProvider();
  private final FakePodCache cache = new FakePodCache();
  private final RecordingWriter writer = new RecordingWriter();
  private final RecordingEvents events = new RecordingEvents();
  private final PodBook book = new PodBook();
  private final InMemorySources sources = new InMemorySources();
  private PodReconciler reconciler = reconciler(Duration.ofSeconds(30));

  private PodReconciler reconciler(Duration callTimeout) {
    return new PodReconciler(provider, "scripted", new EnvResolver(sources, java.util.Map::of), events, writer,
        cache, book, new ProviderCalls(timer, callTimeout), clock, PROGRESS_DELAY, VANISH_GRACE);
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  /** The pod in the cache as the API server has it after our last write. */
  private V1Pod current(String name) {
    return cache.get("ns/" + name);
  }

  /** A pod created in the provider, which now reports it Running since {@code started}. */
  private V1Pod runningPod(String name, OffsetDateTime started) throws Exception {
    cache.put(pod(name));
    assertThat(reconciler.reconcile("ns/" + name)).isEqualTo(Outcome.DONE);
    provider.report("ns/" + name, running(started, 0));
    assertThat(reconciler.reconcile("ns/" + name)).isEqualTo(Outcome.DONE);
    return current(name);
  }

  @Test
  void aFailedCreateLeavesThePodPendingWithAnEventAndIsRetried() throws Exception {
    provider.createFailures.add(new ProviderException("BackendBusy", "try later"));
    cache.put(pod("web"));

    Outcome outcome = reconciler.reconcile("ns/web");

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.RETRY);
    assertThat(writer.last().getPhase()).isEqualTo("Pending");
    assertThat(writer.last().getReason()).isEqualTo("BackendBusy");
    assertThat(events.lines).contains("Warning ProviderCreateFailed: Creating the pod in provider scripted failed:"
        + " try later (BackendBusy)");

    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(provider.calls).containsExactly("create ns/web", "create ns/web");
  }

  @Test
  void theRetryAfterOfARetryableFailureIsHonoured() throws Exception {
    provider.createFailures.add(new RetryableException("Throttled", "slow down", Duration.ofSeconds(30), null));
    cache.put(pod("web"));

    Outcome outcome = reconciler.reconcile("ns/web");

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.RETRY);
    assertThat(outcome.delay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aFailedUpdateIsRetriedWithAnEventAndAppliedLater() throws Exception {
    V1Pod running = runningPod("web", T0);
    provider.updateFailures.add(new ProviderException("BackendBusy", "try later"));
    V1Pod changed = Pods.copy(running);
    changed.getSpec().getContainers().get(0).setImage("nginx:1.27");
    cache.put(changed);

    assertThat(reconciler.reconcile("ns/web").kind()).isEqualTo(Outcome.Kind.RETRY);
    assertThat(events.reasons()).contains("Warning ProviderUpdateFailed");

    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(events.reasons()).contains("Normal ProviderUpdated");
    assertThat(provider.pods.get("ns/web").getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
  }

  @Test
  void anUpdateRefusedAsInvalidInputKeepsThePodRunningAndIsNotRetriedUntilTheSpecChanges() throws Exception {
    V1Pod running = runningPod("web", T0);
    provider.updateFailures.add(new InvalidInputException("ImmutableImage", "images cannot change"));
    V1Pod changed = Pods.copy(running);
    changed.getSpec().getContainers().get(0).setImage("nginx:1.27");
    cache.put(changed);

    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);

    assertThat(provider.calls.stream().filter(c -> c.startsWith("update"))).hasSize(1);
    assertThat(events.lines).contains(
        "Warning ProviderUpdateFailed: Provider scripted cannot apply the change: images cannot change");
    assertThat(current("web").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void aFailedDeleteIsRetriedWithinTheGracePeriodAndThePodRemovedOnceItIsOver() throws Exception {
    V1Pod running = runningPod("web", T0);
    provider.deleteFailures.add(new ProviderException("BackendBusy", "try later"));
    provider.deleteFailures.add(new ProviderException("BackendBusy", "still busy"));
    V1Pod deleting = Pods.copy(running);
    deleting.getMetadata().deletionTimestamp(T0.plusSeconds(30)).deletionGracePeriodSeconds(30L);
    cache.put(deleting);

    assertThat(reconciler.reconcile("ns/web").kind()).isEqualTo(Outcome.Kind.RETRY);
    assertThat(writer.deleted).isEmpty();

    clock.advance(Duration.ofSeconds(31)); // the grace period is over: removed although the provider failed
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(writer.deleted).extracting(p -> p.getMetadata().getUid()).containsExactly("uid-web");
    assertThat(events.reasons()).containsSubsequence("Warning ProviderDeleteFailed", "Warning ProviderDeleteFailed");

    // once the API server has removed it, its tombstone keeps asking the provider
    cache.remove(deleting);
    book.bury(deleting);
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(provider.calls.stream().filter(c -> c.startsWith("delete"))).hasSize(3);
  }

  @Test
  void aDeletedPodWaitsForTheProviderToStopItThenIsRemovedWithKillingEvents() throws Exception {
    V1Pod running = runningPod("web", T0);
    V1Pod deleting = Pods.copy(running);
    deleting.getMetadata().deletionTimestamp(T0.plusSeconds(30)).deletionGracePeriodSeconds(30L);
    cache.put(deleting);

    Outcome waiting = reconciler.reconcile("ns/web");
    assertThat(waiting.kind()).isEqualTo(Outcome.Kind.RECHECK);
    assertThat(events.lines).contains("Normal Killing: Stopping container main");
    assertThat(writer.deleted).isEmpty();

    provider.pods.remove("ns/web");
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(writer.deleted).hasSize(1);
  }

  @Test
  void aPendingStatusWaitsForTheProgressDelayBeforeItIsWritten() throws Exception {
    cache.put(pod("web"));
    reconciler.reconcile("ns/web");
    provider.report("ns/web", new V1PodStatus().phase("Pending").startTime(T0));

    Outcome first = reconciler.reconcile("ns/web");
    assertThat(first.kind()).isEqualTo(Outcome.Kind.RECHECK);
    assertThat(first.delay()).isEqualTo(PROGRESS_DELAY);
    assertThat(writer.written).isEmpty();

    clock.advance(PROGRESS_DELAY);
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(writer.written).hasSize(1);
  }

  @Test
  void startTimeIsSetOnceAndKeptWhenTheProviderReportsAnother() throws Exception {
    runningPod("web", T0);
    provider.report("ns/web", running(T0.plusMinutes(10), 0)); // the provider created it again

    reconciler.reconcile("ns/web");

    assertThat(current("web").getStatus().getStartTime()).isEqualTo(T0);
  }

  @Test
  void restartCountsSayThatAContainerTheProviderCreatedAgainStartedAgain() throws Exception {
    runningPod("web", T0);
    provider.report("ns/web", running(T0.plusMinutes(10), 0));

    reconciler.reconcile("ns/web");
    V1ContainerStatus main = current("web").getStatus().getContainerStatuses().get(0);
    assertThat(main.getRestartCount()).isEqualTo(1);
    assertThat(main.getLastState().getTerminated().getStartedAt()).isEqualTo(T0);
    assertThat(main.getLastState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");

    int writes = writer.written.size();
    reconciler.reconcile("ns/web"); // nothing new: the merged status is stable, no second write
    assertThat(writer.written).hasSize(writes);
    assertThat(current("web").getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
  }

  @Test
  void containerLifecycleEventsFollowTheProvidersStatuses() throws Exception {
    runningPod("web", T0);
    assertThat(events.lines).containsExactly("Normal Created: Created container main",
        "Normal Started: Started container main");

    provider.report("ns/web", waiting("Running", "CrashLoopBackOff", 1));
    reconciler.reconcile("ns/web");
    assertThat(events.lines).contains("Warning BackOff: Back-off restarting failed container main in pod web_ns(uid-web)");

    provider.report("ns/web", running(T0.plusMinutes(1), 1));
    reconciler.reconcile("ns/web");
    assertThat(events.lines.stream().filter(l -> l.startsWith("Normal Started"))).hasSize(2);

    provider.report("ns/web", waiting("Running", "ErrImagePull", 1));
    reconciler.reconcile("ns/web");
    assertThat(events.lines).contains("Warning Failed: Error: ErrImagePull: ErrImagePull for a test");
  }

  @Test
  void aForbiddenReferenceFailsThePodWithAnEventAndIsNotRetried() throws Exception {
    sources.failure = new InvalidInputException("Forbidden", "the virtual node may not get secret ns/db");
    cache.put(pod("web"));

    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);

    assertThat(provider.calls).isEmpty();
    assertThat(writer.last().getPhase()).isEqualTo("Failed");
    assertThat(writer.last().getReason()).isEqualTo("Forbidden");
    assertThat(events.lines).containsExactly("Warning ProviderCreateFailed: Provider scripted cannot run the pod:"
        + " the virtual node may not get secret ns/db");
  }

  @Test
  void aProviderCallPastItsDeadlineIsInterruptedAndRetried() throws Exception {
    reconciler = reconciler(Duration.ofMillis(200));
    CountDownLatch never = new CountDownLatch(1);
    provider.duringCreate = () -> {
      try {
        never.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    cache.put(pod("web"));

    Outcome outcome = reconciler.reconcile("ns/web");

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.RETRY);
    assertThat(writer.last().getReason()).isEqualTo(ProviderCalls.TIMEOUT_REASON);
    assertThat(Thread.currentThread().isInterrupted()).as("the worker's interrupt flag is cleared").isFalse();
  }

  @Test
  void aPodTheProviderLostIsFailedAfterTheGrace() throws Exception {
    runningPod("web", T0);
    provider.pods.remove("ns/web");

    assertThat(reconciler.reconcile("ns/web").kind()).isEqualTo(Outcome.Kind.RECHECK);
    clock.advance(VANISH_GRACE);
    assertThat(reconciler.reconcile("ns/web")).isEqualTo(Outcome.DONE);

    assertThat(current("web").getStatus().getPhase()).isEqualTo("Failed");
    assertThat(current("web").getStatus().getReason()).isEqualTo("ProviderPodNotFound");
  }

  @Test
  void aStatusAlreadyRightCostsNoWrite() throws Exception {
    runningPod("web", T0);
    int writes = writer.written.size();

    reconciler.reconcile("ns/web");

    assertThat(writer.written).hasSize(writes);
  }

  @Test
  void podConditionsSomeoneElseChangedAreReasserted() throws Exception {
    V1Pod running = runningPod("web", T0);
    V1PodStatus markedNotReady = ModelCopy.of(running.getStatus());
    markedNotReady.setConditions(List.of(TestPods.condition("Ready", "False", T0.plusMinutes(1)),
        TestPods.condition("ContainersReady", "True", T0)));
    V1Pod marked = withStatus(running, markedNotReady);
    marked.getMetadata().setResourceVersion("999"); // another writer's change, as the API server versions it
    cache.put(marked);

    reconciler.reconcile("ns/web");

    assertThat(current("web").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
  }
}
