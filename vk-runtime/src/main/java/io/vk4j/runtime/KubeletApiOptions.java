package io.vk4j.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * How the kubelet API of a {@link VirtualNode} serves and whom it lets in. Like a kubelet with
 * {@code --authentication-token-webhook} and {@code --authorization-mode=Webhook}: clients
 * authenticate with a client certificate issued by {@link #clientCaFile()} (how the API server
 * calls kubelets) or a bearer token the API server confirms with a TokenReview, and every request is
 * authorized with a SubjectAccessReview on the node ({@code nodes/proxy}, {@code nodes/stats},
 * {@code nodes/metrics}, {@code nodes/log}). Only {@code /healthz} is open to all.
 */
@Value.Immutable
public abstract class KubeletApiOptions {

  /** The serving certificate chain (PEM), reloaded when it changes; self-issued when not set. */
  public abstract Optional<Path> tlsCertFile();

  /** The private key of {@link #tlsCertFile()} (PEM). */
  public abstract Optional<Path> tlsPrivateKeyFile();

  /**
   * The CA bundle (PEM) that issues client certificates, such as the API server's {@code
   * --kubelet-client-certificate}; reloaded when it changes. Without it no client certificate is
   * accepted, only bearer tokens.
   */
  public abstract Optional<Path> clientCaFile();

  /**
   * Lets requests without credentials through as {@code system:anonymous} (group {@code
   * system:unauthenticated}), still subject to authorization. Off by default: they get 401.
   */
  @Value.Default
  public boolean anonymousAuth() {
    return false;
  }

  /** Connections open at once; past it a client is answered 503 and let go. */
  @Value.Default
  public int maxConnections() {
    return 1024;
  }

  /**
   * Streaming sessions at once: exec and attach sessions, port-forwarded connections, and followed
   * logs that need a thread of their own. Past it new ones are refused with a message that says so.
   */
  @Value.Default
  public int maxStreams() {
    return 128;
  }

  /** How long a connection may wait for its next request (and for its first). */
  @Value.Default
  public Duration idleTimeout() {
    return Duration.ofSeconds(120);
  }

  /** How long a TLS handshake, and a request after its first byte, may take to arrive whole. */
  @Value.Default
  public Duration requestTimeout() {
    return Duration.ofSeconds(10);
  }

  /** An exec, attach or port-forward connection that carries nothing either way for this long is closed (the kubelet's default). */
  @Value.Default
  public Duration streamIdleTimeout() {
    return Duration.ofHours(4);
  }

  @Value.Check
  protected void check() {
    if (tlsCertFile().isPresent() != tlsPrivateKeyFile().isPresent()) {
      throw new IllegalArgumentException("give both the TLS certificate file and its private key file, or neither");
    }
    if (maxConnections() < 1 || maxStreams() < 1) {
      throw new IllegalArgumentException("maxConnections and maxStreams must be at least 1: " + this);
    }
    for (Duration timeout : new Duration[] {idleTimeout(), requestTimeout(), streamIdleTimeout()}) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("kubelet API timeouts must be positive: " + this);
      }
    }
  }

  public static KubeletApiOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableKubeletApiOptions.Builder {}
}
