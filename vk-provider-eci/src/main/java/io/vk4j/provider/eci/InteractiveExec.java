package io.vk4j.provider.eci;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an interactive {@code kubectl exec -i/-t} session over the WebSocket ECI hands out for
 * ExecContainerCommand without {@code Sync}. Messages carry their stream in the first byte, as in Kubernetes'
 * channel protocol (0 stdin, 1 stdout, 2 stderr, 3 the exit status, 4 a terminal size, {@code 255 0} the end
 * of stdin): the framing the emulator serves; ECI's reference does not describe the real service's. The
 * caller's thread waits for the exit status while a thread of its own copies stdin.
 */
final class InteractiveExec implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InteractiveExec.class);
  private static final byte STDIN = 0;
  private static final byte STDOUT = 1;
  private static final byte STDERR = 2;
  private static final byte STATUS = 3;
  private static final byte RESIZE = 4;
  private static final byte CLOSE = (byte) 255;

  private final ExecutorService threads;
  private final ThreadFactory stdinPumps;
  private final HttpClient http;

  InteractiveExec(Duration connectTimeout) {
    this.threads = Executors.newCachedThreadPool(new ThreadFactoryBuilder().setNameFormat("vk4j-eci-exec-%d")
        .setDaemon(true).build());
    this.stdinPumps = new ThreadFactoryBuilder().setNameFormat("vk4j-eci-exec-stdin-%d").setDaemon(true).build();
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).executor(threads).build();
  }

  /** Connects to {@code webSocketUri} and relays {@code io} until the command ends; returns its exit code. */
  int run(String webSocketUri, AttachIO io) throws ProviderException {
    Relay relay = new Relay(io);
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().buildAsync(URI.create(webSocketUri), relay).get();
    } catch (ExecutionException e) {
      throw new RetryableException("EciExecUnavailable", "cannot open the ECI exec session: " + e.getCause(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("EciExecUnavailable", "interrupted while opening the ECI exec session");
    }
    Sender sender = new Sender(socket);
    if (io.tty()) {
      io.onResize(size -> sender.send(RESIZE, ("{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}")
          .getBytes(StandardCharsets.UTF_8)));
    }
    io.stdin().ifPresent(stdin -> stdinPumps.newThread(() -> pump(stdin, sender)).start());
    try {
      return relay.exitCode.get();
    } catch (ExecutionException e) {
      throw new RetryableException("EciExecFailed", "the ECI exec session failed: " + e.getCause(), null, e);
    } catch (InterruptedException e) {
      // the client went away
      Thread.currentThread().interrupt();
      socket.abort();
      return 130;
    }
  }

  /** Copies stdin to the session; it may outlive the call: the runtime closing stdin ends it. */
  private static void pump(InputStream stdin, Sender sender) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = stdin.read(buffer)) >= 0; ) {
        sender.send(STDIN, java.util.Arrays.copyOf(buffer, n)).join();
      }
      sender.send(CLOSE, new byte[] {STDIN});
    } catch (IOException | RuntimeException e) {
      LOG.debug("exec stdin ended: {}", e.toString());
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** One send at a time, in order, as the WebSocket API requires; never blocks. */
  private static final class Sender {
    private final WebSocket socket;
    private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

    Sender(WebSocket socket) {
      this.socket = socket;
    }

    synchronized CompletableFuture<?> send(byte stream, byte[] data) {
      ByteBuffer message = ByteBuffer.allocate(data.length + 1).put(stream).put(data).flip();
      last = last.handle((v, e) -> null).thenCompose(v -> socket.sendBinary(message, true));
      return last;
    }
  }

  /** Writes what arrives to the client's streams and completes with the exit code. */
  private static final class Relay implements WebSocket.Listener {
    private final AttachIO io;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    Relay(AttachIO io) {
      this.io = io;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        byte[] whole = message.toByteArray();
        message.reset();
        if (whole.length > 0) {
          deliver(whole[0], java.util.Arrays.copyOfRange(whole, 1, whole.length));
        }
      }
      socket.request(1);
      return null;
    }

    private void deliver(byte stream, byte[] data) {
      try {
        if (stream == STDOUT) {
          write(io.stdout(), data);
        } else if (stream == STDERR) {
          write(io.stderr().or(io::stdout), data);
        } else if (stream == STATUS) {
          exitCode.complete(exitCode(new String(data, StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        // the client has gone: the session ends with it
        exitCode.completeExceptionally(e);
      }
    }

    private static void write(Optional<OutputStream> out, byte[] data) throws IOException {
      if (out.isPresent()) {
        out.get().write(data);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      exitCode.completeExceptionally(new IOException("the session closed without an exit status (" + statusCode + " "
          + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      exitCode.completeExceptionally(error);
    }
  }

  /** A Kubernetes Status: Success is 0, a NonZeroExitCode carries the code in its causes, anything else 1. */
  static int exitCode(String status) {
    JsonObject json = JsonParser.parseString(status).getAsJsonObject();
    if (json.has("status") && json.get("status").getAsString().equals("Success")) {
      return 0;
    }
    if (json.has("details") && json.getAsJsonObject("details").has("causes")) {
      for (JsonElement cause : json.getAsJsonObject("details").getAsJsonArray("causes")) {
        JsonObject c = cause.getAsJsonObject();
        if (c.has("reason") && c.get("reason").getAsString().equals("ExitCode")) {
          return Integer.parseInt(c.get("message").getAsString());
        }
      }
    }
    return 1;
  }
}
