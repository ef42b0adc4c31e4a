package io.vk4j.runtime.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The runtime's metrics of one node, every one tagged {@code node}. Meters are created once and
 * kept, so recording on a hot path is an atomic add, without allocation or lock. Names (as
 * Prometheus shows them) are documented in {@code docs/operations.md}. Internal to vk4j.
 */
public final class NodeMetrics {
  /** Buckets of every latency histogram: enough to tell milliseconds from seconds from minutes. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofSeconds(120)};

  private final MeterRegistry registry;
  private final Tags node;
  private final Timer reconcile;
  private final Timer queueLatency;
  private final Map<String, Counter> reconcileErrors = new ConcurrentHashMap<>();
  private final Map<String, Timer> providerCalls = new ConcurrentHashMap<>();
  private final Map<String, Counter> providerErrors = new ConcurrentHashMap<>();
  private final Map<String, Counter> eventsDropped = new ConcurrentHashMap<>();
  private final Map<String, Counter> swept = new ConcurrentHashMap<>();
  private final Map<String, Counter> sweepRuns = new ConcurrentHashMap<>();

  public NodeMetrics(MeterRegistry registry, String nodeName) {
    this.registry = registry;
    this.node = Tags.of("node", nodeName);
    this.reconcile = timer("vk4j.reconcile.duration", "Time to reconcile one pod key with the provider", node);
    this.queueLatency = timer("vk4j.workqueue.latency", "Time a pod key waited in the work queue", node);
  }

  /** Metrics recorded nowhere: for tests and for parts built without a registry. */
  public static NodeMetrics discarding() {
    return new NodeMetrics(new SimpleMeterRegistry(), "none");
  }

  public MeterRegistry registry() {
    return registry;
  }

  private Timer timer(String name, String help, Tags tags) {
    return Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
  }

  private Counter counter(String name, String help, Tags tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  /** A gauge read at each scrape; {@code source} is held strongly (it lives as long as the node). */
  public <T> void gauge(String name, String help, String unit, Tags tags, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(help).baseUnit(unit).tags(node.and(tags)).strongReference(true)
        .register(registry);
  }

  public void gauge(String name, String help, String unit, Supplier<Number> value) {
    Gauge.builder(name, value).description(help).baseUnit(unit).tags(node).strongReference(true).register(registry);
  }

  public void reconciled(long nanos) {
    reconcile.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void queued(long nanos) {
    queueLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A reconcile step failed: {@code kind} is create, update, delete, status or api. */
  public void reconcileError(String kind) {
    cached(reconcileErrors, kind, k -> counter("vk4j.reconcile.errors",
        "Reconcile steps that failed, by kind (create, update, delete, status, api)", node.and("kind", k))).increment();
  }

  public void providerCall(String method, long nanos) {
    cached(providerCalls, method, m -> timer("vk4j.provider.call.duration",
        "Duration of provider calls, by SPI method", node.and("method", m))).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A provider call failed: {@code kind} is timeout, invalid, notfound, retryable or other. */
  public void providerError(String method, String kind) {
    cached(providerErrors, method + '\0' + kind, key -> counter("vk4j.provider.call.errors",
        "Provider calls that failed, by SPI method and kind of failure",
        node.and("method", method, "kind", kind))).increment();
  }

  /** An Event was not sent: {@code cause} is queue_full, rate_limited, rejected or closing. */
  public void eventDropped(String cause) {
    cached(eventsDropped, cause, c -> counter("vk4j.events.dropped",
        "Events that were not recorded, by cause", node.and("cause", c))).increment();
  }

  /** The cluster sweep deleted something: {@code kind} is backend_pod, pod or node. */
  public void swept(String kind) {
    cached(swept, kind, k -> counter("vk4j.sweep.deleted",
        "What the cluster sweep deleted: backend pods left behind, pods and Nodes of abandoned nodes",
        node.and("kind", k))).increment();
  }

  /** One round of the cluster sweep: {@code result} is complete, incomplete (nothing done) or not_leader. */
  public void sweepRun(String result) {
    cached(sweepRuns, result, r -> counter("vk4j.sweep.runs", "Rounds of the cluster sweep, by result",
        node.and("result", r))).increment();
  }

  private static <T> T cached(Map<String, T> cache, String key, Function<String, T> create) {
    T meter = cache.get(key);
    return meter != null ? meter : cache.computeIfAbsent(key, create);
  }
}
