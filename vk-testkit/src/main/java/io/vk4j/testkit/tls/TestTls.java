package io.vk4j.testkit.tls;

import java.net.Socket;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** TLS clients for tests of HTTPS servers: trusting exactly one CA (host names checked), with or without a client certificate. */
public final class TestTls {
  private TestTls() {}

  /** A client context that trusts {@code ca} only. */
  public static SSLContext trusting(X509Certificate ca) throws Exception {
    return context(ca, null, List.of());
  }

  /**
   * A client context that trusts {@code ca} and presents {@code chain} (leaf first) with its {@code
   * key} whatever CAs the server names as acceptable, as curl does.
   */
  public static SSLContext trusting(X509Certificate ca, PrivateKey key, List<X509Certificate> chain) throws Exception {
    return context(ca, key, chain);
  }

  /** An HTTP/1.1 client that trusts {@code ca} only. */
  public static HttpClient client(X509Certificate ca) throws Exception {
    return client(trusting(ca));
  }

  public static HttpClient client(SSLContext context) {
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  private static SSLContext context(X509Certificate ca, PrivateKey key, List<X509Certificate> chain) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(key == null ? null : new KeyManager[] {new AlwaysPresenting(key, chain)}, trust.getTrustManagers(),
        null);
    return context;
  }

  /** Presents its one certificate to any server that asks. */
  private static final class AlwaysPresenting extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    AlwaysPresenting(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
