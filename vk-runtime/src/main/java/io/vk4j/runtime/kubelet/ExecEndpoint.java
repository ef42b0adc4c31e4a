package io.vk4j.runtime.kubelet;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code POST /exec/{namespace}/{pod}/{container}?command=...&command=...}: a vk4j-specific,
 * non-interactive exec. The request body is the command's stdin when {@code stdin=true}; the answer
 * is JSON {@code {"exitCode":0,"stdout":"...","stderr":"...","truncated":false}} once the command
 * has exited. Interactive exec ({@code kubectl exec}, an SPDY or websocket upgrade) is refused with
 * 501: the JDK's HTTP server cannot switch protocols.
 */
final class ExecEndpoint {
  /** Output kept per stream; beyond it the output is cut and {@code truncated} is set. */
  static final int MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

  private final Provider provider;

  ExecEndpoint(Provider provider) {
    this.provider = provider;
  }

  void serve(HttpExchange exchange, List<String> pathAfterPrefix) throws HttpError, ProviderException, IOException {
    if (exchange.getRequestHeaders().containsKey("Upgrade")) {
      throw HttpError.notImplemented("interactive exec (SPDY or websocket) is not supported by this"
          + " virtual node; POST without an upgrade runs a command non-interactively");
    }
    if (!exchange.getRequestMethod().equalsIgnoreCase("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      throw new HttpError(HttpError.METHOD_NOT_ALLOWED, exchange.getRequestMethod() + " not allowed; use POST");
    }
    ContainerRef container = ContainerLogsEndpoint.containerRef(pathAfterPrefix, "exec");
    if (!(provider instanceof ContainerExec containerExec)) {
      throw HttpError.notImplemented("the provider cannot run commands in containers");
    }
    QueryParameters query = QueryParameters.parse(exchange.getRequestURI().getRawQuery());
    List<String> command = query.all("command");
    if (command.isEmpty()) {
      throw HttpError.badRequest("command: at least one 'command' parameter is required");
    }
    boolean withStdin = query.first("stdin").map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(false);

    CappedOutput stdout = new CappedOutput();
    CappedOutput stderr = new CappedOutput();
    Session session = new Session(withStdin ? exchange.getRequestBody() : null, stdout, stderr);
    int exitCode;
    try {
      exitCode = containerExec.runInContainer(container, command, session);
    } finally {
      session.end();
    }
    JsonObject result = new JsonObject();
    result.addProperty("exitCode", exitCode);
    result.addProperty("stdout", stdout.text());
    result.addProperty("stderr", stderr.text());
    result.addProperty("truncated", stdout.truncated || stderr.truncated);
    Exchanges.send(exchange, 200, Exchanges.JSON_TYPE, result.toString());
  }

  /** The streams of one non-interactive session: no terminal, so no resizes. */
  private static final class Session implements AttachIO {
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final CountDownLatch ended = new CountDownLatch(1);

    Session(InputStream stdin, OutputStream stdout, OutputStream stderr) {
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    @Override
    public Optional<InputStream> stdin() {
      return Optional.ofNullable(stdin);
    }

    @Override
    public Optional<OutputStream> stdout() {
      return Optional.of(stdout);
    }

    @Override
    public Optional<OutputStream> stderr() {
      return Optional.of(stderr);
    }

    @Override
    public boolean tty() {
      return false;
    }

    @Override
    public void onResize(java.util.function.Consumer<TerminalSize> listener) {
      // no terminal: no sizes
    }

    void end() {
      ended.countDown();
    }
  }

  /** Keeps the first {@link #MAX_OUTPUT_BYTES} bytes written and notes whether more came. */
  private static final class CappedOutput extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean truncated;

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = MAX_OUTPUT_BYTES - bytes.size();
      if (len > room) {
        truncated = true;
      }
      bytes.write(b, off, Math.max(0, Math.min(len, room)));
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
