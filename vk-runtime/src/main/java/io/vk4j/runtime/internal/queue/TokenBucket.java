package io.vk4j.runtime.internal.queue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code burst} requests at once, then {@code qps} per second. Internal to vk4j:
 * shared by the runtime's packages, not part of the public API.
 */
public final class TokenBucket {
  private final double qps;
  private final double burst;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double qps, int burst) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("qps must be > 0 and burst >= 1, got " + qps + " and " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = System.nanoTime();
  }

  /**
   * Takes a token, borrowing against the future when none is left, and returns how long the caller
   * must wait before using it.
   */
  public synchronized Duration reserve() {
    refill();
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / qps * 1e9));
  }

  /** Takes a token when one is available now; never borrows. */
  public synchronized boolean tryAcquire() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Takes a token, waiting for it when needed. */
  public void acquire() throws InterruptedException {
    long wait = reserve().toNanos();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * qps);
    refilledAt = now;
  }
}
