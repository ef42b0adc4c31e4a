package io.vk4j.webhook;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vk4j.server.ConnectionTimeouts;
import io.vk4j.server.HttpsServer;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.ServerLimits;
import io.vk4j.server.ServerTls;
import io.vk4j.server.Workers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS front of the webhook ({@link HttpsServer}: Netty, TLS 1.2 and 1.3, connection limits):
 * {@code POST /mutate} answers AdmissionReviews, {@code GET /healthz} says the process lives,
 * {@code GET /readyz} says the namespace cache has synced. One event-loop thread does TLS and HTTP
 * for every connection, so an idle, slow or half-open connection costs a socket and never a
 * worker; reviews run on a bounded pool, and a review that waited past its deadline is answered 503
 * at once instead of late.
 */
final class WebhookServer implements AutoCloseable, HttpsServer.Application {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern TIMEOUT_PARAM = Pattern.compile("(?:^|&)timeout=([^&]+)");
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");

  private final ServerOptions options;
  private final ServerTls tls;
  private final AdmissionController controller;
  private final BooleanSupplier ready;
  private final ThreadPoolExecutor workers;
  private HttpsServer server;

  WebhookServer(ServerOptions options, ReloadingKeyManager keys, AdmissionController controller,
      BooleanSupplier ready) {
    this.options = options;
    this.tls = ServerTls.serving(keys);
    this.controller = controller;
    this.ready = ready;
    this.workers = Workers.bounded("vk-webhook-worker", options.workers(), options.queueCapacity());
  }

  void start() throws IOException {
    try {
      server = HttpsServer.start("vk-webhook", ServerLimits.builder()
          .bindAddress(options.bindAddress())
          .port(options.port())
          .maxBodyBytes(options.maxRequestBytes())
          .idleTimeout(options.idleTimeout())
          .requestTimeout(options.requestTimeout())
          .handshakeTimeout(options.requestTimeout())
          .build(), tls, this);
    } catch (IOException e) {
      workers.shutdownNow();
      throw e;
    }
    LOG.info("serving admission reviews on https://{}:{}/mutate", options.bindAddress(), port());
  }

  @Override
  public void addHandlers(ChannelPipeline pipeline, ConnectionTimeouts timeouts) {
    pipeline.addLast("review", new ReviewHandler(controller, ready, workers, this::deadline, timeouts));
  }

  @Override
  public FullHttpResponse error(HttpResponseStatus status, String message) {
    String reason = switch (status.code()) {
      case 400 -> "BadRequest";
      case 413 -> "RequestEntityTooLarge";
      case 503 -> "ServiceUnavailable";
      default -> status.reasonPhrase().replace(" ", "");
    };
    AdmissionController.Reply reply = AdmissionController.failure(status.code(), reason, message);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(reply.body().getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    workers.shutdownNow();
  }

  /** The review's deadline: the API server's {@code timeout} (or our default) less a margin to send the answer. */
  private long deadline(long receivedNanos, String rawQuery) {
    return receivedNanos + timeout(rawQuery).minus(DEADLINE_MARGIN).toNanos();
  }

  /** The API server appends {@code ?timeout=<Go duration>} to webhook calls; honour it, capped. */
  Duration timeout(String rawQuery) {
    if (rawQuery != null) {
      Matcher param = TIMEOUT_PARAM.matcher(rawQuery);
      if (param.find()) {
        Duration parsed = io.vk4j.api.GoDuration.tryParse(java.net.URLDecoder.decode(param.group(1), StandardCharsets.UTF_8)).orElse(null);
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
