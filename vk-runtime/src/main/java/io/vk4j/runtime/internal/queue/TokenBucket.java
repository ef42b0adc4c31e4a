package io.vk4j.runtime.internal.queue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} requests at once, then {@code qps} per second. Internal to vk4j:
 * shared by the runtime's packages, not part of the public API.
 */
public final class TokenBucket {
  private final double qps;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  public TokenBucket(double qps, int burst) {
    this(qps, burst, System::nanoTime);
  }

  TokenBucket(double qps, int burst, LongSupplier nanoTime) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("qps must be > 0 and burst >= 1, got " + qps + " and " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
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

  /**
   * Like {@link #reserve()}, but a caller that finds no token waits until the bucket is full again:
   * a steady stream of calls then goes in bursts of {@code burst}, at the same rate, instead of one
   * every {@code 1/qps}.
   */
  public synchronized Duration reserveInBursts() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    // when the wait is over, the bucket holds a full burst less this caller's token
    Duration wait = Duration.ofNanos((long) ((burst - tokens) / qps * 1e9));
    tokens -= 1;
    return wait;
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
    sleep(reserve());
  }

  /** Takes a token as {@link #reserveInBursts()} does, waiting when needed. */
  public void acquireInBursts() throws InterruptedException {
    sleep(reserveInBursts());
  }

  private static void sleep(Duration wait) throws InterruptedException {
    if (!wait.isZero()) {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    }
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * qps);
    refilledAt = now;
  }
}
