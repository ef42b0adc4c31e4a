package io.vk4j.runtime.internal.event;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on pods, asynchronously and without flooding the API server. Internal to
 * vk4j: the runtime hands it to providers as their {@link PodEventRecorder}.
 *
 * <ul>
 *   <li>A repeat of an event (same pod UID, type, reason and message) within the aggregation window
 *       increments {@code count} and {@code lastTimestamp} of the existing Event by a PATCH.
 *   <li>Each pod may record a burst of events, then one every few minutes; the rest is dropped.
 *   <li>The node sends at most {@link Limits#qps()} Events per second after a burst of
 *       {@link Limits#burst()}, as a kubelet's {@code --event-qps} and {@code --event-burst} do.
 *       Once the burst is spent, the sender waits for a whole burst and sends it at once rather
 *       than one Event at a time: the same rate, at less CPU per Event (docs/benchmark.md).
 *   <li>Events wait in a bounded queue for one sender thread, Warnings first; when the queue is
 *       full a Normal event is dropped (counted, and logged as a count) rather than block the caller.
 *   <li>While the API server cannot be reached or answers with a server error, the sender retries
 *       the oldest event with backoff, and the others wait in the queue; the log says why in words.
 * </ul>
 */
public final class EventRecorder implements PodEventRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  static final int MAX_MESSAGE_LENGTH = 1024;
  static final Duration FIRST_RETRY = Duration.ofMillis(200);
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private final EventSink sink;
  private final String component;
  private final String host;
  private final Clock clock;
  private final EventAggregator aggregator = new EventAggregator(Duration.ofMinutes(10), 4096);
  private final Cache<String, TokenBucket> perObject =
      CacheBuilder.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(4096).build();
  private final EventQueue<Pending> queue;
  private final TokenBucket nodeLimit;
  private final DroppedEventLog dropLog = new DroppedEventLog(log, Duration.ofSeconds(10), System::nanoTime);
  private final Thread sender;
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean closed;
  private volatile NodeMetrics metrics = NodeMetrics.discarding();

  private record Pending(V1ObjectReference object, String type, String reason, String message,
      OffsetDateTime time) {}

  /**
   * How many Events wait to be sent, and how fast the node sends them.
   *
   * @param qps Events per second after the burst; 0: no limit but the API writes' own
   */
  public record Limits(int queueCapacity, double qps, int burst) {
    public Limits {
      if (queueCapacity < 1 || qps < 0 || (qps > 0 && burst < 1)) {
        throw new IllegalArgumentException("event limits need a queue of at least 1, qps >= 0 and a burst >= 1, got "
            + queueCapacity + ", " + qps + " and " + burst);
      }
    }

    static Limits unlimited(int queueCapacity) {
      return new Limits(queueCapacity, 0, 0);
    }
  }

  /**
   * @param component the {@code source.component} of the Events, for example {@code vk4j}
   * @param host the {@code source.host}: the node name
   * @param writes the runtime's shared rate limit of API writes
   */
  public static EventRecorder create(ApiClient client, String component, String host, Limits limits,
      TokenBucket writes, Clock clock) {
    return new EventRecorder(new ApiEventSink(client, writes), component, host, limits, clock);
  }

  /** Counts dropped Events ({@code vk4j_events_dropped_total}) from now on. */
  public void countInto(NodeMetrics metrics) {
    this.metrics = metrics;
    metrics.gauge("vk4j.events.queued", "Events waiting to be sent", null, io.micrometer.core.instrument.Tags.empty(),
        queue, EventQueue::size);
  }

  EventRecorder(EventSink sink, String component, String host, Limits limits, Clock clock) {
    this.sink = sink;
    this.component = component;
    this.host = host;
    this.clock = clock;
    this.queue = new EventQueue<>(limits.queueCapacity());
    this.nodeLimit = limits.qps() > 0 ? new TokenBucket(limits.qps(), limits.burst()) : null;
    this.sender = new ThreadFactoryBuilder().setNameFormat(host + "-events").setDaemon(true).build()
        .newThread(this::sendLoop);
    this.sender.start();
  }

  @Override
  public void normal(V1Pod pod, String reason, String message) {
    record(pod, "Normal", reason, message);
  }

  @Override
  public void warning(V1Pod pod, String reason, String message) {
    record(pod, "Warning", reason, message);
  }

  private void record(V1Pod pod, String type, String reason, String message) {
    if (pod == null || pod.getMetadata() == null || pod.getMetadata().getUid() == null) {
      metrics.eventDropped("rejected");
      log.warn("dropping event {} {} without a pod UID", reason, message);
      return;
    }
    V1ObjectReference ref = new V1ObjectReference()
        .apiVersion("v1").kind("Pod")
        .namespace(pod.getMetadata().getNamespace())
        .name(pod.getMetadata().getName())
        .uid(pod.getMetadata().getUid())
        .resourceVersion(pod.getMetadata().getResourceVersion());
    String text = message == null ? "" : message;
    if (text.length() > MAX_MESSAGE_LENGTH) {
      text = text.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
    Pending event = new Pending(ref, type, reason, text, now());
    if (closed) {
      metrics.eventDropped("closing");
      log.warn("closing: dropping {} event {} on pod {}/{}: {}", type, reason, ref.getNamespace(), ref.getName(), text);
      return;
    }
    Pending dropped = queue.offer(event, "Warning".equals(type));
    if (dropped != null) {
      metrics.eventDropped("queue_full");
      dropLog.dropped(dropped.type, dropped.reason, dropped.object.getNamespace(), dropped.object.getName());
    }
  }

  private void sendLoop() {
    while (!closed) {
      Pending event;
      try {
        event = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      dropLog.flush();
      if (event == null) {
        continue;
      }
      try {
        sendWithRetries(event);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends one event, retrying with backoff while the API server is unreachable or failing. */
  private void sendWithRetries(Pending event) throws InterruptedException {
    if (!limiterOf(event.object.getUid()).tryAcquire()) {
      metrics.eventDropped("rate_limited");
      log.debug("rate limit of pod {} reached, dropping event {}", event.object.getUid(), event.reason);
      return;
    }
    if (nodeLimit != null) {
      nodeLimit.acquireInBursts();
    }
    Duration backoff = FIRST_RETRY;
    for (int attempt = 1; ; attempt++) {
      try {
        send(event);
        if (attempt > 1) {
          log.info("recorded event {} on {}/{} after {} attempts", event.reason, event.object.getNamespace(),
              event.object.getName(), attempt);
        }
        return;
      } catch (ApiException e) {
        String why = ApiErrors.describe(e);
        if (!ApiErrors.isTransient(e)) {
          metrics.eventDropped("rejected");
          log.warn("could not record event {} on {}/{}, dropping it: {}", event.reason,
              event.object.getNamespace(), event.object.getName(), why);
          return;
        }
        if (closed) {
          metrics.eventDropped("closing");
          log.warn("closing: dropping event {} on {}/{} ({})", event.reason, event.object.getNamespace(),
              event.object.getName(), why);
          return;
        }
        if (attempt == 1) {
          log.warn("could not record event {} on {}/{}: {}; retrying with backoff ({} more events waiting)",
              event.reason, event.object.getNamespace(), event.object.getName(), why, queue.size());
        } else {
          log.debug("attempt {} to record event {} failed: {}", attempt, event.reason, why);
        }
      } catch (RuntimeException e) {
        metrics.eventDropped("rejected");
        log.warn("could not record event {} on {}/{}, dropping it: {}", event.reason,
            event.object.getNamespace(), event.object.getName(), e.toString());
        return;
      }
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
    }
  }

  private void send(Pending event) throws ApiException, InterruptedException {
    EventAggregator.Key key =
        new EventAggregator.Key(event.object.getUid(), event.type, event.reason, event.message);
    EventAggregator.Sent repeated = aggregator.repeatOf(key);
    if (repeated != null) {
      JsonObject patch = new JsonObject();
      patch.addProperty("count", repeated.count + 1);
      patch.addProperty("lastTimestamp", EventJson.time(event.time));
      try {
        sink.patch(repeated.namespace, repeated.name, patch.toString());
        repeated.count++;
        aggregator.remember(key, repeated);
        return;
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        aggregator.forget(key); // the Event expired in the API server: create it again
      }
    }
    String namespace = event.object.getNamespace();
    String name = event.object.getName() + "." + Long.toHexString(clock.millis())
        + Long.toHexString(sequence.incrementAndGet());
    CoreV1Event created = new CoreV1Event()
        .metadata(new V1ObjectMeta().name(name).namespace(namespace))
        .involvedObject(event.object)
        .type(event.type)
        .reason(event.reason)
        .message(event.message)
        .count(1)
        .firstTimestamp(event.time)
        .lastTimestamp(event.time)
        .source(new V1EventSource().component(component).host(host))
        .reportingComponent(component)
        .reportingInstance(host);
    try {
      sink.create(created);
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // a retried create whose first attempt reached the API server after all
    }
    aggregator.remember(key, new EventAggregator.Sent(namespace, name, 1));
  }

  private TokenBucket limiterOf(String uid) {
    try {
      // a burst of 25 events per pod, then one every 5 minutes (client-go's defaults)
      return perObject.get(uid, () -> new TokenBucket(1.0 / 300, 25));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  /** Events queued and not yet sent, for tests and the benchmark. */
  public int backlog() {
    return queue.size();
  }

  /** Stops the sender; events still queued are sent for up to two seconds. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (queue.size() > 0 && System.nanoTime() < deadline && sender.isAlive()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closed = true;
    sender.interrupt();
  }
}
