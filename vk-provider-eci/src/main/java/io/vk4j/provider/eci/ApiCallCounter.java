package io.vk4j.provider.eci;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts ECI API requests sent, per action, retries included: the figures the benchmark reports. */
final class ApiCallCounter {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  void count(String action) {
    calls.computeIfAbsent(action, a -> new LongAdder()).increment();
  }

  long calls(String action) {
    LongAdder adder = calls.get(action);
    return adder == null ? 0 : adder.sum();
  }

  long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A copy, by action. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((action, adder) -> copy.put(action, adder.sum()));
    return copy;
  }
}
