package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vk4j.api.TerminalSize;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.testkit.tls.TestTls;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exec over WebSocket ({@code v5.channel.k8s.io}) as a client speaks it directly: channels for
 * stdin, stdout, stderr, the final Status and resizes, the close signal that ends stdin, and the
 * bound on sessions at once.
 */
class WebSocketExecTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final TestProvider provider = new TestProvider();
  private final FakeReviews reviews = new FakeReviews();
  private KubeletApiServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void start(KubeletApiOptions options) throws Exception {
    server = KubeletApiServer.start(new KubeletApiServer.Address("vk-test", "127.0.0.1", "127.0.0.1", 0), options,
        provider, () -> List.of(KubeletApiServerTest.pod("ns", "web", "uid-1", "Running")), reviews, reviews.ticker);
  }

  /** Collects the messages of a session by channel, and the close. */
  private static final class Channels implements WebSocket.Listener {
    final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        byte[] whole = message.toByteArray();
        message.reset();
        received.computeIfAbsent(whole[0] & 0xff, c -> new ByteArrayOutputStream()).writeBytes(
            java.util.Arrays.copyOfRange(whole, 1, whole.length));
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed.completeExceptionally(error);
    }

    String text(int channel) {
      ByteArrayOutputStream bytes = received.get(channel);
      return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private WebSocket connect(String query, Channels channels) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(TestTls.trustingAnyServer(null, List.of())).build();
    return client.newWebSocketBuilder()
        .header("Authorization", "Bearer alice-token")
        .subprotocols("v5.channel.k8s.io")
        .buildAsync(java.net.URI.create("wss://127.0.0.1:" + server.port() + "/exec/ns/web/app?" + query), channels)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static void send(WebSocket socket, int channel, byte[] payload) throws Exception {
    ByteBuffer message = ByteBuffer.allocate(payload.length + 1).put((byte) channel).put(payload).flip();
    socket.sendBinary(message, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void stdinStdoutStderrAndTheExitCodeTravelOnTheirChannels() throws Exception {
    start(KubeletApiOptions.defaults());
    Channels channels = new Channels();
    WebSocket socket = connect("command=echo&command=hi&input=1&output=1&error=1", channels);
    assertThat(socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");

    send(socket, 0, "from stdin".getBytes(StandardCharsets.UTF_8));
    send(socket, 255, new byte[] {0}); // v5: close stdin

    assertThat(channels.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    assertThat(channels.text(1)).isEqualTo("echo hi");
    assertThat(channels.text(2)).isEqualTo("from stdin");
    JsonObject status = JsonParser.parseString(channels.text(3)).getAsJsonObject();
    assertThat(status.get("status").getAsString()).isEqualTo("Failure");
    assertThat(status.get("reason").getAsString()).isEqualTo("NonZeroExitCode");
    assertThat(status.getAsJsonObject("details").getAsJsonArray("causes").get(0).getAsJsonObject()
        .get("message").getAsString()).isEqualTo("2");
  }

  @Test
  void terminalSizesReachTheProvider() throws Exception {
    start(KubeletApiOptions.defaults());
    Channels channels = new Channels();
    WebSocket socket = connect("command=sh&input=1&output=1&tty=1", channels);

    send(socket, 4, "{\"Width\":80,\"Height\":24}".getBytes(StandardCharsets.UTF_8));
    await().atMost(TIMEOUT).until(() -> !provider.sizes.isEmpty());
    send(socket, 4, "{\"Width\":132,".getBytes(StandardCharsets.UTF_8)); // an object may be split
    send(socket, 4, "\"Height\":43}".getBytes(StandardCharsets.UTF_8));
    await().atMost(TIMEOUT).until(() -> provider.sizes.size() == 2);
    send(socket, 255, new byte[] {0});

    assertThat(channels.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    assertThat(provider.sizes).containsExactly(TerminalSize.of(80, 24), TerminalSize.of(132, 43));
    assertThat(JsonParser.parseString(channels.text(3)).getAsJsonObject().get("status").getAsString())
        .as("one argument: exit code 1").isEqualTo("Failure");
  }

  @Test
  void pastTheStreamLimitASessionIsRefusedSayingWhyUntilOneEnds() throws Exception {
    start(KubeletApiOptions.builder().maxStreams(1).build());
    Channels first = new Channels();
    WebSocket holding = connect("command=cat&input=1&output=1", first); // runs until its stdin ends

    Throwable refused = catchThrowable(() -> connect("command=true&output=1", new Channels()));
    assertThat(refused).hasCauseInstanceOf(WebSocketHandshakeException.class);
    WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
    assertThat(handshake.getResponse().statusCode()).isEqualTo(503);
    assertThat(String.valueOf(handshake.getResponse().body())).contains("too many streaming sessions");

    send(holding, 255, new byte[] {0});
    assertThat(first.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    Channels later = new Channels();
    await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
      connect("command=true&output=1", later);
      return true;
    });
    assertThat(later.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
  }
}
