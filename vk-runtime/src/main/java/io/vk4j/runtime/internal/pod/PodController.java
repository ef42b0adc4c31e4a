package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.queue.TokenBucket;
import io.vk4j.runtime.internal.queue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod side of a virtual node. Data flows one way: the API server's pods on this node (watch
 * cache) and the provider's status notifications become keys in a rate-limited work queue; workers
 * reconcile each key with the provider and write the status back. Internal to vk4j.
 *
 * <p>At start-up, once the watch cache is complete (never on a partial view), pods the provider
 * already runs are adopted, and provider pods with no pod in the API server are deleted; only then
 * do the workers start.
 */
public final class PodController implements PodStatusListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodController.class);

  /**
   * @param workers how many pods are reconciled at once
   * @param fullResyncPeriod how often every pod is reconciled even when nothing was signalled
   * @param statusPollPeriod how often non-terminal pods are polled when the provider does not notify
   * @param retryBaseDelay the first retry delay of a failing pod, doubled on each failure
   * @param retryMaxDelay the cap of a failing pod's retry delay
   * @param progressStatusDelay how long a Pending status waits before it is written, in case
   *     Running follows (saves a write per pod)
   */
  public record Settings(int workers, Duration fullResyncPeriod, Duration statusPollPeriod,
      Duration retryBaseDelay, Duration retryMaxDelay, Duration progressStatusDelay) {
    public Settings {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1");
      }
    }
  }

  private final String nodeName;
  private final Provider provider;
  private final Settings settings;
  private final PodBook book = new PodBook();
  private final PodWatcher watcher;
  private final PodReconciler reconciler;
  private final ScheduledExecutorService timer;
  private final WorkQueue<String> queue;
  private final List<Thread> workers = new ArrayList<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile String startupProblem = "waiting for the pod cache to sync";
  private volatile boolean closed;

  public PodController(String nodeName, String providerName, ApiClient client, Provider provider,
      EnvResolver env, PodEventRecorder events, TokenBucket writes, Settings settings) {
    this.nodeName = nodeName;
    this.provider = provider;
    this.settings = settings;
    AtomicInteger timers = new AtomicInteger();
    this.timer = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, nodeName + "-pod-timer-" + timers.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.queue = new WorkQueue<>(timer, settings.retryBaseDelay(), settings.retryMaxDelay(), new TokenBucket(10, 100));
    this.watcher = new PodWatcher(client, nodeName, new WatchHandler());
    this.reconciler = new PodReconciler(provider, providerName, env, events, new PodApiWriter(client, writes),
        watcher, book, settings.progressStatusDelay(), settings.statusPollPeriod());
  }

  /** Starts watching; adoption, the orphan sweep and the workers follow once the cache synced. */
  public void start() {
    if (provider instanceof PodNotifier notifier) {
      notifier.notifyPods(this);
    }
    watcher.start();
    timer.execute(this::startUp);
  }

  /** Completes when the cache has synced, the start-up sweep is done and the workers run. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** What start-up is waiting for, while it is not ready. */
  public String startupProblem() {
    return startupProblem;
  }

  /** The pods bound to this node, as last seen; shared objects, not to be modified. */
  public List<V1Pod> pods() {
    return List.copyOf(watcher.pods());
  }

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
    if (!watcher.synced()) {
      timer.schedule(this::startUp, 50, TimeUnit.MILLISECONDS);
      return;
    }
    try {
      sweep();
    } catch (ProviderException | RuntimeException e) {
      startupProblem = "listing the provider's pods failed: " + e.getMessage();
      log.warn("node {}: {}; retrying", nodeName, startupProblem);
      timer.schedule(this::startUp, 2, TimeUnit.SECONDS);
      return;
    }
    for (int i = 1; i <= settings.workers(); i++) {
      Thread worker = new Thread(this::work, nodeName + "-pod-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
    watcher.pods().forEach(p -> queue.add(Pods.key(p)));
    long resync = settings.fullResyncPeriod().toMillis();
    timer.scheduleAtFixedRate(() -> watcher.pods().forEach(p -> queue.add(Pods.key(p))),
        resync, resync, TimeUnit.MILLISECONDS);
    if (!(provider instanceof PodNotifier)) {
      long poll = settings.statusPollPeriod().toMillis();
      timer.scheduleAtFixedRate(() -> watcher.pods().stream().filter(p -> !Pods.isTerminal(p))
          .forEach(p -> queue.add(Pods.key(p))), poll, poll, TimeUnit.MILLISECONDS);
    }
    startupProblem = null;
    ready.complete(null);
  }

  /** Adopts the provider's pods that the API server binds here; deletes the others. */
  private void sweep() throws ProviderException {
    Map<String, V1Pod> inApi = new HashMap<>();
    for (V1Pod pod : watcher.pods()) {
      inApi.put(Pods.uid(pod), pod);
    }
    int adopted = 0;
    int orphans = 0;
    for (V1Pod running : provider.listPods()) {
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
        provider.deletePod(running);
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
      try {
        outcome = reconciler.reconcile(key);
      } catch (InterruptedException e) {
        queue.done(key);
        return;
      } catch (RuntimeException e) {
        log.error("pod {}: reconcile failed", key, e);
        outcome = Outcome.retry();
      }
      switch (outcome.kind()) {
        case DONE -> queue.forget(key);
        case RETRY -> queue.addRateLimited(key, outcome.delay());
        case RECHECK -> queue.addAfter(key, outcome.delay());
      }
      queue.done(key);
    }
  }

  private final class WatchHandler implements PodWatcher.Handler {
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

  private static boolean relevantChange(V1Pod old, V1Pod pod) {
    return !Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())
        || SpecFingerprint.of(old) != SpecFingerprint.of(pod);
  }

  /** Stops the workers and the watch; pods keep running in the provider and stay in the API server. */
  @Override
  public void close() {
    closed = true;
    queue.shutDown();
    watcher.close();
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
