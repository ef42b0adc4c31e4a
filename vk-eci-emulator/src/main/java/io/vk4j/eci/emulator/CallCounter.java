package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Requests received per action, whatever their outcome. Unknown actions share one counter. */
final class CallCounter {

  static final String UNKNOWN = "(unknown action)";

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void count(String action) {
    String key = EciActions.ACTIONS.contains(action) ? action : UNKNOWN;
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  long get(String action) {
    AtomicLong n = counts.get(action);
    return n == null ? 0 : n.get();
  }

  ImmutableSortedMap<String, Long> snapshot() {
    ImmutableSortedMap.Builder<String, Long> b = ImmutableSortedMap.naturalOrder();
    counts.forEach((k, v) -> b.put(k, v.get()));
    return b.build();
  }

  long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  void reset() {
    counts.clear();
  }
}
