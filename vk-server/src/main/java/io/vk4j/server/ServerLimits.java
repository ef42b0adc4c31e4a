package io.vk4j.server;

import java.time.Duration;
import org.immutables.value.Value;

/** Where an {@link HttpsServer} listens and what it lets a client hold. */
@Value.Immutable
public abstract class ServerLimits {

  @Value.Default
  public String bindAddress() {
    return "0.0.0.0";
  }

  /** 0 picks a free port. */
  public abstract int port();

  /** Event-loop threads doing TLS and HTTP for every connection. */
  @Value.Default
  public int ioThreads() {
    return 1;
  }

  /** Connections open at once; a client past it gets a 503 saying so and the connection is closed. */
  @Value.Default
  public int maxConnections() {
    return 1024;
  }

  /** How long a TLS handshake may take. */
  @Value.Default
  public Duration handshakeTimeout() {
    return Duration.ofSeconds(10);
  }

  /** How long a request may take to arrive whole after its first byte. */
  @Value.Default
  public Duration requestTimeout() {
    return Duration.ofSeconds(10);
  }

  /** How long a connection may wait for its next request (and for its first). */
  @Value.Default
  public Duration idleTimeout() {
    return Duration.ofSeconds(120);
  }

  @Value.Default
  public int maxInitialLineBytes() {
    return 4096;
  }

  @Value.Default
  public int maxHeaderBytes() {
    return 16 * 1024;
  }

  /** The largest request body; a larger one gets a 413. */
  @Value.Default
  public int maxBodyBytes() {
    return 64 * 1024;
  }

  @Value.Check
  protected void check() {
    if (port() < 0 || port() > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535, not " + port());
    }
    if (ioThreads() < 1 || maxConnections() < 1 || maxBodyBytes() < 0) {
      throw new IllegalArgumentException("ioThreads and maxConnections must be positive: " + this);
    }
    for (Duration limit : new Duration[] {handshakeTimeout(), requestTimeout(), idleTimeout()}) {
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive: " + this);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableServerLimits.Builder {}
}
