package io.vk4j.runtime.internal.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Calls a kubelet API as the API server does, over TLS, without verifying the kubelet's
 * self-issued certificate; with a bearer token when given one.
 */
final class HttpsTestClient {
  private final HttpClient client;
  private final SSLContext tls;
  private final int port;
  private final String token;

  HttpsTestClient(int port, String token) throws Exception {
    this(port, token, trustingAnyServer(null));
  }

  HttpsTestClient(int port, String token, SSLContext tls) {
    this.port = port;
    this.token = token;
    this.tls = tls;
    this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** A client context that presents {@code keys} (or nothing) and trusts any server. */
  static SSLContext trustingAnyServer(javax.net.ssl.KeyManager keys) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : new javax.net.ssl.KeyManager[] {keys}, new TrustManager[] {new TrustingManager()},
        null);
    return context;
  }

  HttpClient http() {
    return client;
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

  /** Sends a request head (without its blank line) on a raw TLS socket, for headers {@link HttpClient} refuses (Upgrade); returns the whole answer. */
  String raw(String head) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String auth = token == null ? "" : "\r\nAuthorization: Bearer " + token;
      socket.getOutputStream().write((head + "\r\nHost: 127.0.0.1\r\nConnection: close" + auth + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Like {@link #raw} but returns once the answer's head is in (the connection may stay open). */
  String rawHead(String head) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String auth = token == null ? "" : "\r\nAuthorization: Bearer " + token;
      socket.getOutputStream().write((head + "\r\nHost: 127.0.0.1" + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      StringBuilder answer = new StringBuilder();
      InputStream in = socket.getInputStream();
      while (answer.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        answer.append((char) b);
      }
      return answer.toString();
    }
  }

  URI uri(String scheme, String pathAndQuery) {
    return URI.create(scheme + "://127.0.0.1:" + port + pathAndQuery);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("https", pathAndQuery)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
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
