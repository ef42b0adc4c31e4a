package io.vk4j.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A transient failure: throttling, no capacity right now, a backend outage. The runtime retries
 * with exponential backoff, and not before {@link #retryAfter()} when it is given.
 */
public class RetryableException extends ProviderException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RetryableException(String reason, String message) {
    this(reason, message, null, null);
  }

  public RetryableException(String reason, String message, Duration retryAfter, Throwable cause) {
    super(reason, message, cause);
    this.retryAfter = retryAfter;
  }

  /** The earliest time to try again, when the backend said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
