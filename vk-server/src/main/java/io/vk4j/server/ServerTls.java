package io.vk4j.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * TLS for vk4j's listeners: TLS 1.3 and 1.2 only, and of 1.2 only the ECDHE suites with AEAD
 * ciphers (AES-GCM, ChaCha20-Poly1305): no CBC, no SHA-1, no static RSA key exchange. Optionally it
 * asks clients for a certificate, as a kubelet does.
 */
public final class ServerTls {

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  /** In order of preference; those the JDK lacks are left out. */
  static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final SSLContext context;
  private final String[] cipherSuites;
  private final boolean requestClientCertificate;

  private ServerTls(SSLContext context, boolean requestClientCertificate) {
    this.context = context;
    Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
    this.cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    this.requestClientCertificate = requestClientCertificate;
  }

  /** Serves with {@code keys}; clients are not asked for certificates. */
  public static ServerTls serving(X509KeyManager keys) {
    return new ServerTls(context(keys, null), false);
  }

  /**
   * Serves with {@code keys} and asks every client for a certificate issued by one of {@code
   * acceptedIssuers} (named in the handshake so that clients pick the right one). The handshake
   * accepts any certificate or none: the application verifies the chain per request, so an
   * untrusted certificate gets an HTTP 401 with a reason instead of a failed handshake, as with a
   * kubelet. The handshake still proves that the client holds the certificate's private key.
   */
  public static ServerTls requestingClientCertificates(X509KeyManager keys,
      Supplier<List<X509Certificate>> acceptedIssuers) {
    return new ServerTls(context(keys, new VerifiedLater(acceptedIssuers)), true);
  }

  /** A handler for a new connection; the handshake must finish within {@code handshakeTimeout}. */
  public SslHandler newHandler(ByteBufAllocator allocator, Duration handshakeTimeout) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    engine.setEnabledCipherSuites(cipherSuites);
    var parameters = engine.getSSLParameters();
    parameters.setUseCipherSuitesOrder(true);
    parameters.setWantClientAuth(requestClientCertificate);
    engine.setSSLParameters(parameters);
    SslHandler handler = new SslHandler(engine);
    handler.setHandshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return handler;
  }

  /** The cipher suites offered, in order. */
  List<String> cipherSuites() {
    return Arrays.asList(cipherSuites);
  }

  private static SSLContext context(X509KeyManager keys, TrustManager clientTrust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys}, clientTrust == null ? null : new TrustManager[] {clientTrust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Takes whatever client chain is offered; the application verifies it (see above). */
  private static final class VerifiedLater extends X509ExtendedTrustManager {
    private final Supplier<List<X509Certificate>> acceptedIssuers;

    VerifiedLater(Supplier<List<X509Certificate>> acceptedIssuers) {
      this.acceptedIssuers = acceptedIssuers;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("a server's trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("a server's trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("a server's trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return acceptedIssuers.get().toArray(X509Certificate[]::new);
    }
  }
}
