package io.vk4j.provider.eci;

import com.google.common.util.concurrent.RateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a transport with what 3,000 pods need from a shared cloud API: a client-side rate limit,
 * retries with exponential backoff and jitter on throttling, server errors and lost
 * responses, and a {@link CircuitBreaker} so a failing endpoint is not hammered. Retrying a lost
 * {@code CreateContainerGroup} is safe because every create carries a ClientToken.
 */
final class ResilientTransport implements EciTransport {
  private static final Logger LOG = LoggerFactory.getLogger(ResilientTransport.class);

  private final EciTransport delegate;
  private final RateLimiter rateLimiter;
  private final CircuitBreaker circuit;
  private final ApiCallCounter counter;
  private final int maxAttempts;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  /** Pauses between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  ResilientTransport(EciTransport delegate, double qps, CircuitBreaker circuit, ApiCallCounter counter,
      int maxAttempts, Duration baseBackoff, Duration maxBackoff, Sleeper sleeper) {
    this.delegate = delegate;
    this.rateLimiter = RateLimiter.create(qps);
    this.circuit = circuit;
    this.counter = counter;
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
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
        return response;
      } catch (EciApiException e) {
        if (!e.isRetryable()) {
          // the endpoint answered: it is healthy even if the request was not
          circuit.onSuccess();
          throw e;
        }
        circuit.onFailure();
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

  /** Equal jitter: random between half and all of the exponential bound, so retrying clients spread out. */
  private Duration backoff(int attempt) {
    long bound = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
  }
}
