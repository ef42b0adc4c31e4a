package io.vk4j.eci.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Nonces seen recently. A nonce must be remembered as long as a request carrying it could still pass the
 * timestamp check (twice the allowed skew); past that the timestamp check refuses the replay. Bounded:
 * beyond {@code capacity} the oldest nonces are forgotten first.
 */
final class NonceCache {

  private final Clock clock;
  private final Duration memory;
  private final int capacity;
  private final Set<String> seen = new HashSet<>();
  private final Deque<Entry> order = new ArrayDeque<>();

  private record Entry(String nonce, Instant at) {}

  NonceCache(Clock clock, Duration memory, int capacity) {
    this.clock = clock;
    this.memory = memory;
    this.capacity = capacity;
  }

  /** True the first time a nonce is offered, false on every replay. */
  synchronized boolean firstUse(String nonce) {
    Instant now = clock.instant();
    while (!order.isEmpty() && (order.peekFirst().at().plus(memory).isBefore(now) || order.size() >= capacity)) {
      seen.remove(order.pollFirst().nonce());
    }
    if (!seen.add(nonce)) {
      return false;
    }
    order.addLast(new Entry(nonce, now));
    return true;
  }
}
