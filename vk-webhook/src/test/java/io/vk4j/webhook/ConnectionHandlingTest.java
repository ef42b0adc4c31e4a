package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import io.vk4j.testkit.tls.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client can and cannot do to the server: idle, stalled and half-sent connections never
 * hold a worker and are closed in bounded time; a review that must wait runs on a worker, and one
 * that finds every worker and queue slot taken is refused at once.
 */
class ConnectionHandlingTest {

  private static final String NAMESPACE_REVIEW = "src/test/resources/golden/rule-namespace-injection-enabled/request.json";
  private static final Map<String, String> INJECTION_ENABLED = Map.of("virtual-node-affinity-injection", "enabled");

  private final SelfSignedCertificates.Issued certificates =
      SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of("127.0.0.1"));
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private WebhookServer server;
  private SSLContext tls;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(ServerOptions.Builder options, NamespaceLabels namespaces) throws Exception {
    AdmissionController controller = new AdmissionController(AffinityConfig::defaults, namespaces);
    server = new WebhookServer(options.bindAddress("127.0.0.1").port(0).build(),
        new ReloadingKeyManager(certificates.serving()), controller, () -> true);
    server.start();
    tls = TestTls.trusting(certificates.ca());
  }

  @Test
  void idleAndHalfSentConnectionsDoNotHoldTheOnlyWorker() throws Exception {
    start(ServerOptions.builder().workers(1), NamespaceLabels.fixed(Map.of("vk", INJECTION_ENABLED)));
    for (int i = 0; i < 4; i++) {
      handshakenSocket(); // connected, TLS done, no request
    }
    SSLSocket halfSent = handshakenSocket();
    halfSent.getOutputStream().write("POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
    halfSent.getOutputStream().flush();

    try (KeepAliveHttpsConnection client = new KeepAliveHttpsConnection(tls, "127.0.0.1", server.port())) {
      client.setTimeout(Duration.ofSeconds(30));
      assertThat(client.post("/mutate", Files.readAllBytes(Path.of(NAMESPACE_REVIEW)))).isEqualTo(200);
      assertThat(client.lastBody()).contains("\"patch\"");
    }
  }

  @Test
  void aMalformedOrOversizedHttpRequestGets400WithAReason() throws Exception {
    start(ServerOptions.builder(), NamespaceLabels.fixed(Map.of()));
    assertThat(rawAnswer("NOT-HTTP\r\n\r\n")).startsWith("HTTP/1.1 400").contains("malformed HTTP request");
    String hugeHeader = "X-Padding: " + "a".repeat(20_000) + "\r\n";
    assertThat(rawAnswer("POST /mutate HTTP/1.1\r\nHost: x\r\n" + hugeHeader + "\r\n"))
        .startsWith("HTTP/1.1 400").contains("malformed HTTP request");
  }

  @Test
  void aRequestThatStallsIsCutOffAfterTheRequestTimeout() throws Exception {
    start(ServerOptions.builder().requestTimeout(Duration.ofMillis(300)), NamespaceLabels.fixed(Map.of()));
    SSLSocket stalled = handshakenSocket();
    stalled.getOutputStream().write("POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    stalled.getOutputStream().flush();

    await("the stalled connection closed").atMost(Duration.ofSeconds(30)).until(() -> closedByServer(stalled));
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start(ServerOptions.builder().idleTimeout(Duration.ofMillis(300)), NamespaceLabels.fixed(Map.of()));
    SSLSocket idle = handshakenSocket();
    OutputStream out = idle.getOutputStream();
    out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();

    await("the idle connection closed").atMost(Duration.ofSeconds(30)).until(() -> closedByServer(idle));
  }

  @Test
  void aReviewThatMustReadItsNamespaceWaitsOnAWorkerNotOnTheEventLoop() throws Exception {
    AtomicReference<String> readOn = new AtomicReference<>();
    // never seen by the watch: a read is needed
    start(ServerOptions.builder().workers(1), labels(namespace -> Optional.empty(), namespace -> {
      readOn.set(Thread.currentThread().getName());
      return Optional.of(INJECTION_ENABLED);
    }));

    try (KeepAliveHttpsConnection client = connect()) {
      assertThat(client.post("/mutate", Files.readAllBytes(Path.of(NAMESPACE_REVIEW)))).isEqualTo(200);
      assertThat(client.lastBody()).as("steered by the labels the read found").contains("\"patch\"");
    }
    assertThat(readOn.get()).startsWith("vk-webhook-worker-");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWhenTheFirstWaitsOnAWorker() throws Exception {
    CountDownLatch secondReviewed = new CountDownLatch(1);
    start(ServerOptions.builder().workers(1), labels(namespace -> {
      if (namespace.equals("vk")) {
        return Optional.empty(); // the first review must read its namespace
      }
      secondReviewed.countDown();
      return Optional.of(Map.of());
    }, namespace -> {
      // were the second review answered ahead of this one, it would release us at once
      awaitQuietly(secondReviewed, 2);
      return Optional.of(INJECTION_ENABLED);
    }));
    byte[] first = Files.readAllBytes(Path.of(NAMESPACE_REVIEW));
    byte[] second = Files.readAllBytes(Path.of("src/test/resources/golden/rule-no-match-plain-pod/request.json"));
    String firstUid = uidOf(first);
    String secondUid = uidOf(second);

    KeepAliveHttpsConnection client = connect();
    client.send("/mutate", first);
    client.send("/mutate", second);
    assertThat(client.readAnswer()).isEqualTo(200);
    assertThat(client.lastBody()).contains(firstUid).contains("\"patch\"");
    assertThat(client.readAnswer()).isEqualTo(200);
    assertThat(client.lastBody()).contains(secondUid);
  }

  @Test
  void whenEveryWorkerAndQueueSlotIsTakenAReviewIsRefusedAtOnce() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(ServerOptions.builder().workers(1).queueCapacity(1), labels(namespace -> Optional.empty(), namespace -> {
      reading.countDown();
      awaitQuietly(release, 60);
      return Optional.of(INJECTION_ENABLED);
    }));
    byte[] review = Files.readAllBytes(Path.of(NAMESPACE_REVIEW));
    KeepAliveHttpsConnection first = connect();
    CompletableFuture<Integer> occupiesTheWorker = CompletableFuture.supplyAsync(() -> post(first, review));
    assertThat(reading.await(30, TimeUnit.SECONDS)).as("the first review reached the worker").isTrue();

    // two more reviews compete for the one queue slot: exactly one of them is refused, at once
    KeepAliveHttpsConnection second = connect();
    KeepAliveHttpsConnection third = connect();
    CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> post(second, review));
    CompletableFuture<Integer> c = CompletableFuture.supplyAsync(() -> post(third, review));
    assertThat(CompletableFuture.anyOf(b, c).get(30, TimeUnit.SECONDS)).as("the first answer").isEqualTo(503);
    KeepAliveHttpsConnection refusedConnection = b.isDone() ? second : third;
    assertThat(refusedConnection.lastBody()).contains("ServiceUnavailable").contains("overloaded");

    release.countDown();
    assertThat(occupiesTheWorker.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat((b.isDone() && b.get() == 503 ? c : b).get(30, TimeUnit.SECONDS)).isEqualTo(200);
  }

  /** Namespace labels from two functions: what is at hand without waiting, and what a read finds. */
  private static NamespaceLabels labels(Function<String, Optional<Map<String, String>>> cached,
      Function<String, Optional<Map<String, String>>> read) {
    return new NamespaceLabels() {
      @Override
      public Optional<Map<String, String>> labelsOf(String namespace, long deadlineNanos) {
        Optional<Map<String, String>> atHand = cached.apply(namespace);
        return atHand.isPresent() ? atHand : read.apply(namespace);
      }

      @Override
      public Optional<Map<String, String>> cachedLabelsOf(String namespace) {
        return cached.apply(namespace);
      }

      @Override
      public boolean synced() {
        return true;
      }
    };
  }

  private static void awaitQuietly(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String uidOf(byte[] review) {
    return com.google.gson.JsonParser.parseString(new String(review, StandardCharsets.UTF_8))
        .getAsJsonObject().getAsJsonObject("request").get("uid").getAsString();
  }

  private KeepAliveHttpsConnection connect() throws IOException {
    KeepAliveHttpsConnection connection = new KeepAliveHttpsConnection(tls, "127.0.0.1", server.port());
    connection.setTimeout(Duration.ofSeconds(30));
    toClose.add(connection);
    return connection;
  }

  private static int post(KeepAliveHttpsConnection connection, byte[] review) {
    try {
      return connection.post("/mutate", review);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private SSLSocket handshakenSocket() throws IOException {
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port());
    toClose.add(socket);
    socket.startHandshake();
    return socket;
  }

  /** Sends raw bytes on a new connection and returns all the server answers until it closes the connection. */
  private String rawAnswer(String request) throws IOException {
    SSLSocket socket = handshakenSocket();
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** True once the server has closed the connection (what was sent before the close is skipped). */
  private static boolean closedByServer(SSLSocket socket) throws IOException {
    socket.setSoTimeout(200);
    InputStream in = socket.getInputStream();
    try {
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        // an answer sent before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
