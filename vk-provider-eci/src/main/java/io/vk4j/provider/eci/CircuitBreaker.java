package io.vk4j.provider.eci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stops calling an endpoint that keeps failing. After {@code threshold} consecutive failures the
 * circuit opens for a cool-down that doubles on each failed trial (up to {@code maxCoolDown}); then
 * one trial call is let through, and its success closes the circuit.
 */
final class CircuitBreaker {
  private final int threshold;
  private final Duration baseCoolDown;
  private final Duration maxCoolDown;
  private final Clock clock;

  private int consecutiveFailures;
  private Duration coolDown;
  private Instant openUntil = Instant.MIN;
  private Instant openSince;
  private boolean trialInFlight;

  CircuitBreaker(int threshold, Duration baseCoolDown, Duration maxCoolDown, Clock clock) {
    this.threshold = threshold;
    this.baseCoolDown = baseCoolDown;
    this.maxCoolDown = maxCoolDown;
    this.coolDown = baseCoolDown;
    this.clock = clock;
  }

  /** Empty when the call may go ahead; otherwise how long until the next trial. */
  synchronized Optional<Duration> tryAcquire() {
    if (consecutiveFailures < threshold) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isBefore(openUntil)) {
      return Optional.of(Duration.between(now, openUntil));
    }
    if (trialInFlight) {
      return Optional.of(coolDown);
    }
    trialInFlight = true;
    return Optional.empty();
  }

  synchronized void onSuccess() {
    consecutiveFailures = 0;
    coolDown = baseCoolDown;
    trialInFlight = false;
    openSince = null;
  }

  synchronized void onFailure() {
    consecutiveFailures++;
    if (consecutiveFailures < threshold) {
      return;
    }
    Instant now = clock.instant();
    if (trialInFlight) {
      coolDown = coolDown.multipliedBy(2).compareTo(maxCoolDown) > 0 ? maxCoolDown : coolDown.multipliedBy(2);
    }
    trialInFlight = false;
    if (openSince == null) {
      openSince = now;
    }
    openUntil = now.plus(coolDown);
  }

  /** Since when the circuit has been open without a success, if it is open. */
  synchronized Optional<Instant> openSince() {
    return Optional.ofNullable(openSince);
  }
}
