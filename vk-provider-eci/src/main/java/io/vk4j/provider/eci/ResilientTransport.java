package io.vk4j.provider.eci;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a transport with what 3,000 pods need from a shared cloud API: a client-side rate limit
 * that halves when ECI throttles and climbs back as calls succeed, retries with exponential backoff
 * and jitter on throttling, server errors and lost responses, and a {@link CircuitBreaker} so a
 * failing endpoint (server errors, no response) is not hammered. Throttling does not open the
 * circuit: the endpoint is alive and asks for less, which the lower rate gives it. Retrying a lost
 * {@code CreateContainerGroup} is safe because every create carries a ClientToken.
 */
final class ResilientTransport implements EciTransport {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientTransport.class);

  private final EciTransport delegate;
  private final RateLimiter rateLimiter;
  private final CircuitBreaker circuit;
  private final ApiCallCounter counter;
  private final EciHealth health;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;
  private final double maxQps;
  private final double minQps;
  private final java.util.concurrent.atomic.AtomicLong lastSlowDownNanos = new java.util.concurrent.atomic.AtomicLong();

  /** Pauses between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  ResilientTransport(EciTransport delegate, double qps, CircuitBreaker circuit, ApiCallCounter counter, EciHealth health,
      int maxAttempts, Duration baseBackoff, Duration maxBackoff, Sleeper sleeper) {
    this.delegate = delegate;
    this.health = health;
    this.rateLimiter = RateLimiter.create(qps);
    this.circuit = circuit;
    this.counter = counter;
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
    this.maxQps = qps;
    this.minQps = Math.min(qps, 1.0);
  }

  @Override
  public Map<String, Object> call(String action, Map<String, String> params, Duration readTimeout)
      throws EciApiException {
    EciApiException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Optional<Duration> open = circuit.tryAcquire();
      if (open.isPresent()) {
        throw new EciApiException(EciApiException.CIRCUIT_OPEN, 0,
            "ECI endpoint failed repeatedly; calls paused for " + open.get().toMillis() + " ms"
                + (last == null ? "" : " (last error: " + last.code() + ")"), null, last);
      }
      rateLimiter.acquire();
      counter.count(action);
      try {
        Map<String, Object> response = delegate.call(action, params, readTimeout);
        circuit.onSuccess();
        health.answered(action);
        recoverRate();
        return response;
      } catch (EciApiException e) {
        if (!e.isRetryable()) {
          // the endpoint answered: it is healthy even if the request was not
          circuit.onSuccess();
          if (e.isAuthProblem()) {
            health.refused(e);
          } else {
            health.answered(action);
          }
          throw e;
        }
        if (e.isThrottling()) {
          health.answered(action);
          slowDown();
        } else {
          health.failed(e);
          circuit.onFailure();
        }
        last = e;
        if (attempt < maxAttempts) {
          Duration pause = backoff(attempt);
          LOG.debug("{} failed ({}), attempt {}/{}, retrying in {} ms", action, e.code(), attempt, maxAttempts,
              pause.toMillis());
          try {
            sleeper.sleep(pause);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    }
    throw last;
  }

  /** Current client-side limit, calls per second. */
  double currentQps() {
    return rateLimiter.getRate();
  }

  /** Multiplicative decrease, at most once a second: concurrent throttled calls are one signal. */
  private void slowDown() {
    long now = System.nanoTime();
    long last = lastSlowDownNanos.get();
    if (last != 0 && now - last < 1_000_000_000L || !lastSlowDownNanos.compareAndSet(last, now)) {
      return;
    }
    double rate = rateLimiter.getRate();
    if (rate > minQps) {
      rateLimiter.setRate(Math.max(minQps, rate / 2));
      LOG.info("ECI throttles: client-side limit lowered to {} calls/s", rateLimiter.getRate());
    }
  }

  /** Additive increase: about 10 successes bring a halved rate back. */
  private void recoverRate() {
    double rate = rateLimiter.getRate();
    if (rate < maxQps) {
      rateLimiter.setRate(Math.min(maxQps, rate + maxQps / 20));
    }
  }

  /** Equal jitter: random between half and all of the exponential bound, so retrying clients spread out. */
  private Duration backoff(int attempt) {
    long bound = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
  }
}
