package io.vk4j.runtime.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Calls a kubelet API like the API server does: over TLS, without verifying the kubelet's
 * self-signed certificate.
 */
final class HttpsTestClient {
  private final HttpClient client;
  private final SSLContext tls;
  private final int port;

  HttpsTestClient(int port) throws GeneralSecurityException {
    this.port = port;
    this.tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new TrustingManager()}, null);
    this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<InputStream> getStream(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
    return client.send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends {@code head} (request line and headers, without the blank line) over a plain TLS socket,
   * for headers {@link HttpClient} refuses to send (Upgrade), and returns the status line.
   */
  String rawStatusLine(String head) throws IOException {
    try (javax.net.ssl.SSLSocket socket =
            (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.getOutputStream().write((head + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + pathAndQuery))
        .timeout(Duration.ofSeconds(60));
  }

  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // the API server does not verify kubelet certificates either (no --kubelet-certificate-authority)
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
