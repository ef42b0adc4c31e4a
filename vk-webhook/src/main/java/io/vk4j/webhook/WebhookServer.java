package io.vk4j.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS front of the webhook (JDK {@link HttpsServer}, TLS 1.2 and 1.3): {@code POST /mutate}
 * answers AdmissionReviews, {@code GET /healthz} says the process lives, {@code GET /readyz} says
 * the namespace cache has synced. Requests run on a bounded pool; a request that waited in the queue
 * past its deadline is answered 503 at once instead of late.
 */
final class WebhookServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern TIMEOUT_PARAM = Pattern.compile("(?:^|&)timeout=([^&]+)");
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");
  /** When the current request entered the queue: set by the executor wrapper, read by the handler. */
  private static final ThreadLocal<Long> QUEUED_AT = new ThreadLocal<>();

  private final ServerOptions options;
  private final AdmissionController controller;
  private final BooleanSupplier ready;
  private final HttpsServer server;
  private final ThreadPoolExecutor workers;

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm the body then waits
    // for the client's delayed ACK (40 ms). Read once, when the JDK's server configuration loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  WebhookServer(ServerOptions options, ReloadingKeyManager keys, AdmissionController controller,
      BooleanSupplier ready) throws IOException {
    this.options = options;
    this.controller = controller;
    this.ready = ready;
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new javax.net.ssl.KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS", e);
    }
    this.server = HttpsServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 256);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        parameters.setProtocols(Arrays.stream(parameters.getProtocols())
            .filter(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2"))
            .toArray(String[]::new));
        parameters.setNeedClientAuth(false);
        params.setSSLParameters(parameters);
      }
    });
    AtomicInteger threadNumber = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(options.queueCapacity()), runnable -> {
          Thread thread = new Thread(runnable, "vk-webhook-worker-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    // the JDK server closes the connection when the pool refuses a request: the API server then
    // applies failurePolicy (Ignore), which beats queueing forever
    server.setExecutor(task -> {
      long queuedAt = System.nanoTime();
      workers.execute(() -> {
        QUEUED_AT.set(queuedAt);
        try {
          task.run();
        } finally {
          QUEUED_AT.remove();
        }
      });
    });
    server.createContext("/mutate", this::mutate);
    server.createContext("/healthz", exchange -> probe(exchange, true, "ok"));
    server.createContext("/readyz", exchange -> probe(exchange, ready.getAsBoolean(), "namespace cache not synced"));
    server.createContext("/", exchange -> {
      drain(exchange);
      send(exchange, AdmissionController.failure(404, "NotFound", "no such path: " + exchange.getRequestURI().getPath()));
    });
  }

  void start() {
    server.start();
    LOG.info("serving admission reviews on https://{}:{}/mutate", options.bindAddress(), port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private void mutate(HttpExchange exchange) throws IOException {
    try (exchange) {
      long started = QUEUED_AT.get() == null ? System.nanoTime() : QUEUED_AT.get();
      long deadline = started + timeout(exchange.getRequestURI().getRawQuery()).minus(DEADLINE_MARGIN).toNanos();
      if (!"POST".equals(exchange.getRequestMethod())) {
        drain(exchange);
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, AdmissionController.failure(405, "MethodNotAllowed", "use POST for admission reviews"));
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
        drain(exchange);
        send(exchange, AdmissionController.failure(415, "UnsupportedMediaType",
            "Content-Type must be application/json, not " + contentType));
        return;
      }
      byte[] body = readBounded(exchange);
      if (body == null) {
        send(exchange, AdmissionController.failure(413, "RequestEntityTooLarge",
            "the request body exceeds " + options.maxRequestBytes() + " bytes"));
        return;
      }
      if (System.nanoTime() > deadline) {
        send(exchange, AdmissionController.failure(503, "ServiceUnavailable",
            "the review waited past its deadline; the webhook is overloaded"));
        return;
      }
      send(exchange, controller.review(body, deadline));
    } catch (IOException e) {
      LOG.debug("connection problem while answering a review: {}", e.toString());
    } catch (RuntimeException | Error e) {
      LOG.error("failed to answer an admission review", e);
      try {
        send(exchange, AdmissionController.failure(500, "InternalError", "internal error: " + e));
      } catch (IOException | RuntimeException ignored) {
        // headers were sent already; the connection is closed by try-with-resources
      }
    }
  }

  private void probe(HttpExchange exchange, boolean ok, String notOkReason) throws IOException {
    try (exchange) {
      drain(exchange);
      byte[] text = (ok ? "ok" : notOkReason).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(ok ? 200 : 503, text.length);
      exchange.getResponseBody().write(text);
    }
  }

  /** The body, or null when it is larger than allowed (declared or actual). */
  private byte[] readBounded(HttpExchange exchange) throws IOException {
    int limit = options.maxRequestBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared == null ? 8192 : Math.max(0, Integer.parseInt(declared.trim())));
    byte[] buffer = new byte[16384];
    try (InputStream in = exchange.getRequestBody()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (body.size() + n > limit) {
          return null;
        }
        body.write(buffer, 0, n);
      }
    }
    return body.toByteArray();
  }

  /** Reads (never skip(): the JDK's body stream skips past the body's end) what a keep-alive reuse needs. */
  private static void drain(HttpExchange exchange) throws IOException {
    byte[] buffer = new byte[8192];
    try (InputStream in = exchange.getRequestBody()) {
      int total = 0;
      for (int n = in.read(buffer); n >= 0 && total < 64 * 1024; n = in.read(buffer)) {
        total += n;
      }
    }
  }

  private static void send(HttpExchange exchange, AdmissionController.Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The API server appends {@code ?timeout=<Go duration>} to webhook calls; honour it, capped. */
  Duration timeout(String rawQuery) {
    if (rawQuery != null) {
      Matcher param = TIMEOUT_PARAM.matcher(rawQuery);
      if (param.find()) {
        Duration parsed = parseGoDuration(java.net.URLDecoder.decode(param.group(1), StandardCharsets.UTF_8));
        if (parsed != null && !parsed.isZero()) {
          return parsed.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : parsed;
        }
      }
    }
    return options.defaultTimeout();
  }

  static Duration parseGoDuration(String text) {
    Matcher part = GO_DURATION_PART.matcher(text);
    double nanos = 0;
    int end = 0;
    while (part.find()) {
      if (part.start() != end) {
        return null;
      }
      end = part.end();
      double amount = Double.parseDouble(part.group(1));
      nanos += amount * switch (part.group(2)) {
        case "h" -> 3_600e9;
        case "m" -> 60e9;
        case "s" -> 1e9;
        case "ms" -> 1e6;
        case "us", "µs" -> 1e3;
        default -> 1;
      };
    }
    return end == text.length() && end > 0 ? Duration.ofNanos((long) nanos) : null;
  }
}
