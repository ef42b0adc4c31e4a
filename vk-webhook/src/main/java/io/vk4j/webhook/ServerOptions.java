package io.vk4j.webhook;

import java.time.Duration;
import org.immutables.value.Value;

/** How {@link WebhookServer} listens and how much work it accepts. */
@Value.Immutable
abstract class ServerOptions {

  @Value.Default
  String bindAddress() {
    return "0.0.0.0";
  }

  /** 0 picks a free port (tests). */
  @Value.Default
  int port() {
    return 8443;
  }

  /** Threads answering reviews; the reviews are CPU-only, so about one per core. */
  @Value.Default
  int workers() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** Reviews waiting for a worker; beyond it a review is answered 503 at once (the API server then applies its failurePolicy). */
  @Value.Default
  int queueCapacity() {
    return 512;
  }

  @Value.Default
  int maxRequestBytes() {
    return 3 * 1024 * 1024;
  }

  /** Used when the API server sends no {@code timeout} query parameter. */
  @Value.Default
  Duration defaultTimeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * How long a connection may wait for its next request. Longer than the API server's keep-alive
   * (Go's 90 s), so that it is the client that retires an idle connection, never a race with us.
   */
  @Value.Default
  Duration idleTimeout() {
    return Duration.ofSeconds(120);
  }

  /** How long a request may take to arrive whole after its first byte, and a TLS handshake to finish. */
  @Value.Default
  Duration requestTimeout() {
    return Duration.ofSeconds(10);
  }

  @Value.Check
  protected void check() {
    if (port() < 0 || port() > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535, not " + port());
    }
    if (workers() < 1 || queueCapacity() < 1 || maxRequestBytes() < 1024) {
      throw new IllegalArgumentException("workers and queue capacity must be positive, max request >= 1 KiB");
    }
    if (idleTimeout().isNegative() || idleTimeout().isZero() || requestTimeout().isNegative() || requestTimeout().isZero()) {
      throw new IllegalArgumentException("idle and request timeouts must be positive");
    }
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableServerOptions.Builder {}
}
