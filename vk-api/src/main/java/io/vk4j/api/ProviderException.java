package io.vk4j.api;

import static java.util.Objects.requireNonNull;

/**
 * A provider call failed. The runtime retries such failures with backoff; the subclasses
 * {@link NotFoundException}, {@link InvalidInputException} and {@link RetryableException} say more.
 *
 * <p>The {@linkplain #reason() reason} is a short UpperCamelCase word that ends up in Events and in the
 * pod's {@code status.reason}; the message is for people.
 */
public class ProviderException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public ProviderException(String reason, String message) {
    this(reason, message, null);
  }

  public ProviderException(String reason, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.reason = requireNonNull(reason, "reason");
  }

  /** A short UpperCamelCase word, for example {@code ProviderFailed} or {@code InvalidVolume}. */
  public String reason() {
    return reason;
  }
}
