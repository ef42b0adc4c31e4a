package io.vk4j.runtime.internal.pod;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.runtime.internal.client.ApiListWatch;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import io.micrometer.core.instrument.Tags;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod side of a virtual node. Data flows one way: the API server's pods on this node (watch
 * cache) and the provider's status notifications become keys in a rate-limited work queue; workers
 * reconcile each key with the provider and write the status back. Internal to vk4j.
 *
 * <p>At start-up, once the watch cache is complete (never on a partial view), pods the provider
 * already runs are adopted, and provider pods with no pod in the API server are deleted; only then
 * do the workers start. While the provider cannot list its pods, every pod bound meanwhile gets an
 * Event saying why it waits.
 */
public final class PodController implements PodStatusListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodController.class);
  private static final Duration SYNC_POLL = Duration.ofMillis(50);
  private static final Duration LISTING_RETRY = Duration.ofSeconds(2);

  /**
   * @param workers how many pods are reconciled at once
   * @param fullResyncPeriod how often every pod is reconciled even when nothing was signalled
   * @param statusPollPeriod how often non-terminal pods are polled when the provider does not notify
   * @param retryBaseDelay the first retry delay of a failing pod, doubled on each failure
   * @param retryMaxDelay the cap of a failing pod's retry delay
   * @param progressStatusDelay how long a Pending status waits before it is written, in case
   *     Running follows (saves a write per pod)
   * @param providerCallTimeout how long a provider call may run before its thread is interrupted
   */
  public record Settings(int workers, Duration fullResyncPeriod, Duration statusPollPeriod,
      Duration retryBaseDelay, Duration retryMaxDelay, Duration progressStatusDelay, Duration providerCallTimeout) {
    public Settings {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1");
      }
    }
  }

  private final String nodeName;
  private final Provider provider;
  private final PodEventRecorder events;
  private final Settings settings;
  private final PodBook book = new PodBook();
  private final PodCache cache;
  private final PodReconciler reconciler;
  private final ProviderCalls calls;
  private final ScheduledExecutorService timer;
  private final ThreadFactory workerThreads;
  private final WorkQueue<String> queue;
  private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final NodeMetrics metrics;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  /** UIDs of pods told that the node is not ready yet. */
  private final Set<String> toldNotReady = ConcurrentHashMap.newKeySet();
  private volatile String startupProblem = "waiting for the pod cache to sync";
  private volatile Runnable startupProblemChanged = () -> {};
  private volatile boolean closed;

  /** The pod controller of a node on a real API server. */
  public static PodController create(String nodeName, String providerName, ApiClient client, Provider provider,
      EnvResolver env, PodEventRecorder events, TokenBucket writes, Settings settings, Clock clock,
      NodeMetrics metrics) {
    return new PodController(nodeName, providerName, provider, env, events,
        new WatchedPods(nodeName, ApiListWatch.podsOn(client, nodeName)), new PodApiWriter(client, writes),
        settings, clock, metrics);
  }

  PodController(String nodeName, String providerName, Provider provider, EnvResolver env, PodEventRecorder events,
      PodCache cache, PodStatusWriter writer, Settings settings, Clock clock) {
    this(nodeName, providerName, provider, env, events, cache, writer, settings, clock, NodeMetrics.discarding());
  }

  PodController(String nodeName, String providerName, Provider provider, EnvResolver env, PodEventRecorder events,
      PodCache cache, PodStatusWriter writer, Settings settings, Clock clock, NodeMetrics metrics) {
    this.metrics = metrics;
    this.nodeName = nodeName;
    this.provider = provider;
    this.events = events;
    this.settings = settings;
    this.cache = cache;
    // two threads: one may run the start-up sweep while the other enforces provider call deadlines
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2,
        new ThreadFactoryBuilder().setNameFormat(nodeName + "-pod-timer-%d").setDaemon(true).build());
    // every provider call arms a deadline and cancels it: cancelled ones leave the queue at once
    timer.setRemoveOnCancelPolicy(true);
    this.timer = timer;
    this.workerThreads = new ThreadFactoryBuilder().setNameFormat(nodeName + "-pod-worker-%d").setDaemon(true).build();
    this.queue = new WorkQueue<>(timer, settings.retryBaseDelay(), settings.retryMaxDelay(), new TokenBucket(10, 100),
        metrics::queued);
    this.calls = new ProviderCalls(timer, settings.providerCallTimeout(), metrics);
    this.reconciler = new PodReconciler(provider, providerName, env, events, writer, cache, book, calls, clock,
        settings.progressStatusDelay(), settings.statusPollPeriod(), metrics);
    metrics.gauge("vk4j.workqueue.depth", "Pod keys waiting in the work queue", null, Tags.empty(), queue,
        WorkQueue::size);
    for (String phase : List.of("Pending", "Running", "Succeeded", "Failed", "Unknown")) {
      metrics.gauge("vk4j.pods", "Pods bound to the node, by phase", null, Tags.of("phase", phase), cache,
          c -> countPhase(c, phase));
    }
  }

  /** Pods of the cache in {@code phase}; a pod without a status counts as Pending. Read at each scrape. */
  private static double countPhase(PodCache cache, String phase) {
    int count = 0;
    for (V1Pod pod : cache.pods()) {
      String shown = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
      if (shown.equals(phase)) {
        count++;
      }
    }
    return count;
  }

  /**
   * Why the controller is not live, or {@code null}: every worker started must still run (a worker
   * that died would leave pods unreconciled while the node looks healthy).
   */
  public String liveness() {
    if (closed) {
      return "the pod controller is closed";
    }
    for (Thread worker : workers) {
      if (!worker.isAlive()) {
        return "pod worker " + worker.getName() + " stopped";
      }
    }
    return cache.liveness();
  }

  /** Starts watching; adoption, the orphan sweep and the workers follow once the cache synced. */
  public void start() {
    if (provider instanceof PodNotifier notifier) {
      notifier.notifyPods(this);
    }
    cache.start(new CacheHandler());
    timer.execute(this::startUp);
  }

  /** Completes when the cache has synced, the start-up sweep is done and the workers run. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Runs {@code listener} whenever {@link #startupProblem()} changes before ready; set before start. */
  public void onStartupProblemChanged(Runnable listener) {
    this.startupProblemChanged = listener;
  }

  /** What start-up is waiting for, while it is not ready. */
  public String startupProblem() {
    return startupProblem;
  }

  /** The pods bound to this node, as last seen; shared objects, not to be modified. */
  public List<V1Pod> pods() {
    return List.copyOf(cache.pods());
  }

  /**
   * Reconciles every pod soon, as a kubelet does on its next sync after its node's heartbeat is
   * accepted again: statuses others wrote meanwhile (the node lifecycle controller marks pods not
   * ready) are corrected; pods whose status is right cost no write.
   */
  public void resyncAll() {
    cache.pods().forEach(p -> queue.add(Pods.key(p)));
  }

  /** Signals that a pod's status changed: its key is queued and a worker reads it with getPod. */
  @Override
  public void podStatusChanged(V1Pod pod) {
    if (pod != null && pod.getMetadata() != null && pod.getMetadata().getName() != null) {
      queue.add(Pods.key(pod));
    }
  }

  private void startUp() {
    if (closed) {
      return;
    }
    if (!cache.synced()) {
      timer.schedule(this::startUp, SYNC_POLL.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    try {
      sweep();
    } catch (ProviderException | RuntimeException e) {
      String problem = "listing the provider's pods failed: " + e.getMessage();
      if (!problem.equals(startupProblem)) {
        startupProblem = problem;
        startupProblemChanged.run();
      }
      log.warn("node {}: {}; retrying", nodeName, startupProblem);
      tellWaitingPods();
      timer.schedule(this::startUp, LISTING_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    for (int i = 0; i < settings.workers(); i++) {
      Thread worker = workerThreads.newThread(this::work);
      workers.add(worker);
      worker.start();
    }
    resyncAll();
    long resync = settings.fullResyncPeriod().toMillis();
    timer.scheduleAtFixedRate(this::resyncAll, resync, resync, TimeUnit.MILLISECONDS);
    if (!(provider instanceof PodNotifier)) {
      long poll = settings.statusPollPeriod().toMillis();
      timer.scheduleAtFixedRate(() -> cache.pods().stream().filter(p -> !Pods.isTerminal(p))
          .forEach(p -> queue.add(Pods.key(p))), poll, poll, TimeUnit.MILLISECONDS);
    }
    startupProblem = null;
    toldNotReady.clear();
    ready.complete(null);
  }

  /** An Event on each pod bound while the node cannot run anything yet, saying why it waits. */
  private void tellWaitingPods() {
    for (V1Pod pod : cache.pods()) {
      if (!Pods.isTerminal(pod) && pod.getMetadata().getDeletionTimestamp() == null
          && toldNotReady.add(Pods.uid(pod))) {
        events.warning(pod, "NodeNotReady", "Virtual node " + nodeName + " is not ready: " + startupProblem
            + "; the pod starts once the node is ready");
      }
    }
  }

  /** Adopts the provider's pods that the API server binds here; deletes the others. */
  private void sweep() throws ProviderException {
    Map<String, V1Pod> inApi = new HashMap<>();
    for (V1Pod pod : cache.pods()) {
      inApi.put(Pods.uid(pod), pod);
    }
    int adopted = 0;
    int orphans = 0;
    for (V1Pod running : calls.call("listPods", "listPods", provider::listPods)) {
      V1Pod pod = inApi.get(Pods.uid(running));
      if (pod != null) {
        PodRecord record = book.recordOf(pod);
        record.created = true;
        record.specHash = SpecFingerprint.of(pod);
        adopted++;
        continue;
      }
      orphans++;
      log.info("node {}: deleting pod {} ({}) from the provider: it has no pod in the API server",
          nodeName, Pods.key(running), Pods.uid(running));
      try {
        calls.run("deletePod", "deletePod of orphan " + Pods.key(running), () -> {
          provider.deletePod(running);
          return null;
        });
      } catch (NotFoundException e) {
        // gone already
      } catch (ProviderException | RuntimeException e) {
        log.warn("node {}: deleting orphan {} failed, will retry: {}", nodeName, Pods.key(running), e.getMessage());
        book.bury(running);
        queue.add(Pods.key(running));
      }
    }
    log.info("node {}: {} pods in the API server, {} adopted from the provider, {} orphans deleted",
        nodeName, inApi.size(), adopted, orphans);
  }

  private void work() {
    while (!closed) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        return;
      }
      Outcome outcome;
      long start = System.nanoTime();
      try {
        outcome = reconciler.reconcile(key);
      } catch (InterruptedException e) {
        queue.done(key);
        return;
      } catch (RuntimeException e) {
        log.error("pod {}: reconcile failed", key, e);
        outcome = Outcome.retry();
      }
      metrics.reconciled(System.nanoTime() - start);
      switch (outcome.kind()) {
        case DONE -> queue.forget(key);
        case RETRY -> queue.addRateLimited(key, outcome.delay());
        case RECHECK -> queue.addAfter(key, outcome.delay());
      }
      queue.done(key);
    }
  }

  private final class CacheHandler implements PodCache.Handler {
    @Override
    public void upserted(V1Pod old, V1Pod pod) {
      if (old == null || relevantChange(old, pod)) {
        queue.add(Pods.key(pod));
      }
    }

    @Override
    public void deleted(V1Pod pod) {
      book.bury(pod);
      queue.add(Pods.key(pod));
    }
  }

  /**
   * A change the runtime acts on: deletion, the parts of the spec the provider has, and a status
   * that someone else wrote (it is reconciled with the provider's at once, not at the next resync).
   */
  private static boolean relevantChange(V1Pod old, V1Pod pod) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
      return false; // the same version: typically the watch catching up with a write already offered to the cache
    }
    return !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
        || SpecFingerprint.of(old) != SpecFingerprint.of(pod)
        // equal models say the same; only different ones need the semantic comparison
        || !Objects.equals(old.getStatus(), pod.getStatus()) && !PodStatuses.same(old.getStatus(), pod.getStatus());
  }

  /** Stops the workers and the watch; pods keep running in the provider and stay in the API server. */
  @Override
  public void close() {
    closed = true;
    queue.shutDown();
    cache.close();
    timer.shutdownNow();
    for (Thread worker : workers) {
      try {
        worker.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
