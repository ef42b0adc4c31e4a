package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ExecContainerCommand without Sync: a WebSocketUri, and the session behind it, through the JDK's client. */
class InteractiveExecTest {
  private EciEmulator emulator;
  private SdkClient eci;
  private String groupId;

  @BeforeEach
  void start() throws Exception {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO).build().start();
    eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
    groupId = (String) eci.call("CreateContainerGroup", create("shell", Map.of(), container("app", "busybox")))
        .get("ContainerGroupId");
    await().atMost(Duration.ofSeconds(30)).until(() -> emulator.containerGroup(groupId).orElseThrow().status().equals("Running"));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String uri(String command, boolean tty) throws Exception {
    Map<String, Object> answer = eci.call("ExecContainerCommand", region("ContainerGroupId", groupId, "ContainerName", "app",
        "Command", command, "TTY", tty));
    assertThat(answer).containsKey("HttpUrl").doesNotContainKey("SyncResponse");
    return (String) answer.get("WebSocketUri");
  }

  /** Collects stdout and the status message; done when the server closes. */
  private static final class Session implements WebSocket.Listener {
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final CompletableFuture<String> status = new CompletableFuture<>();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        byte[] whole = message.toByteArray();
        message.reset();
        synchronized (stdout) {
          if (whole[0] == ExecWebSocketServer.STDOUT) {
            stdout.write(whole, 1, whole.length - 1);
          } else if (whole[0] == ExecWebSocketServer.STATUS) {
            status.complete(new String(whole, 1, whole.length - 1, StandardCharsets.UTF_8));
          }
        }
      }
      socket.request(1);
      return null;
    }

    String out() {
      synchronized (stdout) {
        return stdout.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static WebSocket connect(String uri, Session session) {
    return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(uri), session).join();
  }

  private static void send(WebSocket socket, byte channel, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer frame = ByteBuffer.allocate(bytes.length + 1).put(channel).put(bytes).flip();
    socket.sendBinary(frame, true).join();
  }

  @Test
  void aShellAnswersLineByLineAndEndsWithItsExitCode() throws Exception {
    Session session = new Session();
    WebSocket socket = connect(uri("[\"sh\"]", false), session);
    send(socket, ExecWebSocketServer.STDIN, "echo hi there\nhostname\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> session.out().contains("shell"));
    send(socket, ExecWebSocketServer.STDIN, "exit 3\n");
    assertThat(session.status.get(10, TimeUnit.SECONDS)).contains("NonZeroExitCode").contains("\"message\":\"3\"");
    assertThat(session.out()).isEqualTo("hi there\nshell\n");
  }

  @Test
  void catCopiesStdinUntilItEnds() throws Exception {
    Session session = new Session();
    WebSocket socket = connect(uri("[\"cat\"]", false), session);
    send(socket, ExecWebSocketServer.STDIN, "line one\n");
    send(socket, ExecWebSocketServer.CLOSE, "\0");
    assertThat(session.status.get(10, TimeUnit.SECONDS)).contains("\"status\":\"Success\"");
    assertThat(session.out()).isEqualTo("line one\n");
  }

  @Test
  void aTerminalEchoesAndKnowsItsSize() throws Exception {
    Session session = new Session();
    WebSocket socket = connect(uri("[\"/bin/sh\"]", true), session);
    send(socket, ExecWebSocketServer.RESIZE, "{\"Width\":132,\"Height\":43}");
    send(socket, ExecWebSocketServer.STDIN, "stty size\r");
    await().atMost(Duration.ofSeconds(10)).until(() -> session.out().contains("43 132"));
    assertThat(session.out()).startsWith("stty size\r\n");
    send(socket, ExecWebSocketServer.STDIN, "exit\r");
    assertThat(session.status.get(10, TimeUnit.SECONDS)).contains("Success");
  }

  @Test
  void aTokenOpensOneSessionOnly() throws Exception {
    String uri = uri("[\"sh\"]", false);
    connect(uri, new Session());
    assertThatThrownBy(() -> connect(uri, new Session())).isInstanceOf(CompletionException.class);
  }
}
