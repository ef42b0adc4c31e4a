package io.vk4j.provider.eci;

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
import java.util.function.Supplier;

/**
 * The ECI provider's metrics, tagged {@code node}: calls by action and answer code ({@code OK}, ECI's
 * error code, {@code NoResponse}, {@code CircuitOpen}), their latency, throttled calls, the client-side
 * rate limit and whether the circuit is open. Names in {@code docs/operations.md}.
 */
final class EciMetrics {
  private static final Duration[] BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final Tags node;
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> throttled = new ConcurrentHashMap<>();

  EciMetrics(MeterRegistry registry, String nodeName) {
    this.registry = registry;
    this.node = Tags.of("node", nodeName);
  }

  static EciMetrics discarding() {
    return new EciMetrics(new SimpleMeterRegistry(), "none");
  }

  /** One request sent and how it was answered. */
  void call(String action, String code, long nanos) {
    String key = action + ' ' + code;
    Counter counter = calls.get(key);
    if (counter == null) {
      counter = calls.computeIfAbsent(key, k -> Counter.builder("vk4j.eci.calls")
          .description("ECI API requests, retries included, by action and answer code").tags(node)
          .tag("action", action).tag("code", code).register(registry));
    }
    counter.increment();
    Timer timer = durations.get(action);
    if (timer == null) {
      timer = durations.computeIfAbsent(action, a -> Timer.builder("vk4j.eci.call.duration")
          .description("Latency of ECI API requests, by action").tags(node).tag("action", a)
          .serviceLevelObjectives(BUCKETS).register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  void throttled(String action) {
    Counter counter = throttled.get(action);
    if (counter == null) {
      counter = throttled.computeIfAbsent(action, a -> Counter.builder("vk4j.eci.throttled")
          .description("ECI requests refused by ECI's flow control, by action").tags(node).tag("action", a)
          .register(registry));
    }
    counter.increment();
  }

  void gauge(String name, String help, Supplier<Number> value) {
    Gauge.builder(name, value).description(help).tags(node).strongReference(true).register(registry);
  }
}
