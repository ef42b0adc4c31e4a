package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vk4j.server.FileWatcher;
import io.vk4j.server.KeyMaterial;
import io.vk4j.server.PemFiles;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import io.vk4j.testkit.tls.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving: TLS versions, probes, certificate reload, deadlines. */
class WebhookServerTest {

  private WebhookServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private WebhookServer start(ReloadingKeyManager keys, AtomicBoolean ready) throws Exception {
    AdmissionController controller = new AdmissionController(AffinityConfig::defaults, NamespaceLabels.fixed(Map.of()));
    server = new WebhookServer(ServerOptions.builder().bindAddress("127.0.0.1").port(0).build(), keys, controller,
        ready::get);
    server.start();
    return server;
  }

  @Test
  void readinessFollowsTheNamespaceCacheAndHealthIsAlwaysOk() throws Exception {
    SelfSignedCertificates.Issued issued = issue("127.0.0.1");
    AtomicBoolean ready = new AtomicBoolean(false);
    start(new ReloadingKeyManager(issued.serving()), ready);
    HttpClient client = TestTls.client(issued.ca());

    assertThat(get(client, "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> notReady = get(client, "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("namespace cache not synced");
    ready.set(true);
    assertThat(get(client, "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void refusesTlsOlderThan12() throws Exception {
    SelfSignedCertificates.Issued issued = issue("127.0.0.1");
    start(new ReloadingKeyManager(issued.serving()), new AtomicBoolean(true));
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, new javax.net.ssl.TrustManager[] {trustAll()}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.1"});
      assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
    } catch (IllegalArgumentException unsupportedByThisJdk) {
      // the JDK itself no longer speaks TLS 1.1: nothing older than 1.2 can be offered at all
    }
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void servesTheNewCertificateAfterTheFilesChange(@TempDir Path dir) throws Exception {
    SelfSignedCertificates.Issued first = issue("127.0.0.1");
    SelfSignedCertificates.Issued second = issue("127.0.0.1");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    writePem(first, cert, key);
    ReloadingKeyManager keys = new ReloadingKeyManager(PemFiles.read(cert, key));
    start(keys, new AtomicBoolean(true));
    try (FileWatcher watcher = new FileWatcher(Duration.ofMillis(100))) {
      watcher.watch(List.of(cert, key), () -> keys.update(PemFiles.read(cert, key)));
      assertThat(get(TestTls.client(first.ca()), "/healthz").statusCode()).isEqualTo(200);

      // a half-written rotation (new certificate, old key) is refused and the old pair keeps serving
      Files.writeString(cert, KeyMaterial.pem(second.serving().leaf()));
      assertThatThrownBy(() -> PemFiles.read(cert, key)).hasMessageContaining("does not belong to the certificate");
      writePem(second, cert, key);

      await("the new certificate served").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get(TestTls.client(second.ca()), "/healthz").statusCode() == 200);
      assertThatThrownBy(() -> get(TestTls.client(first.ca()), "/healthz")).isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void honoursTheApiServersTimeoutParameter() throws Exception {
    SelfSignedCertificates.Issued issued = issue("127.0.0.1");
    start(new ReloadingKeyManager(issued.serving()), new AtomicBoolean(true));
    assertThat(server.timeout("timeout=5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(server.timeout("a=b&timeout=1m30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(server.timeout("timeout=1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(server.timeout("timeout=bogus")).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.timeout(null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookServer.parseGoDuration("2.5s")).isEqualTo(Duration.ofMillis(2500));
    assertThat(WebhookServer.parseGoDuration("5x")).isNull();
  }

  private static SelfSignedCertificates.Issued issue(String ip) {
    return SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of(ip));
  }

  private static void writePem(SelfSignedCertificates.Issued issued, Path cert, Path key) throws Exception {
    Files.writeString(cert, KeyMaterial.pem(issued.serving().chain().toArray()));
    Files.writeString(key, KeyMaterial.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
        issued.serving().key(), null)));
  }

  private HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static javax.net.ssl.X509TrustManager trustAll() {
    return new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }
}
