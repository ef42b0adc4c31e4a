package io.vk4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class SelfSignedTlsTest {

  @Test
  void certificateNamesTheNodeAddressAndLocalhostAndIsValidNow() throws Exception {
    InetAddress address = InetAddress.getByName("127.9.8.7");
    SSLContext server = SelfSignedTls.serverContext("vk4j-kubelet", List.of(address));

    X509Certificate certificate = presentedCertificate(server);

    certificate.checkValidity();
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=vk4j-kubelet");
    assertThat(certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1)))
        .collect(Collectors.toList())).contains("localhost", "vk4j-kubelet", "127.0.0.1", "127.9.8.7");
    assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(certificate.getBasicConstraints()).isEqualTo(-1); // not a CA
  }

  /** Does a TLS handshake with the context and returns the certificate the server presented. */
  private static X509Certificate presentedCertificate(SSLContext server) throws Exception {
    X509Certificate[] seen = new X509Certificate[1];
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        seen[0] = chain[0];
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread accept = new Thread(() -> {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
          socket.startHandshake();
        } catch (Exception e) {
          // the client side reports what went wrong
        }
      });
      accept.start();
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.startHandshake();
      }
      accept.join();
    }
    return seen[0];
  }
}
