package io.vk4j.webhook;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS front of the webhook (Netty, TLS 1.2 and 1.3): {@code POST /mutate} answers
 * AdmissionReviews, {@code GET /healthz} says the process lives, {@code GET /readyz} says the
 * namespace cache has synced. One event-loop thread does TLS and HTTP for every connection, so an
 * idle, slow or half-open connection costs a socket and never a worker; reviews run on a bounded
 * pool, and a review that waited past its deadline is answered 503 at once instead of late.
 */
final class WebhookServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final Duration DEADLINE_MARGIN = Duration.ofMillis(250);
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern TIMEOUT_PARAM = Pattern.compile("(?:^|&)timeout=([^&]+)");
  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final ServerOptions options;
  private final SSLContext tls;
  private final AdmissionController controller;
  private final BooleanSupplier ready;
  private final ThreadPoolExecutor workers;
  private final EventLoopGroup eventLoop;
  private Channel listener;

  WebhookServer(ServerOptions options, ReloadingKeyManager keys, AdmissionController controller,
      BooleanSupplier ready) throws IOException {
    this.options = options;
    this.controller = controller;
    this.ready = ready;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new javax.net.ssl.KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS", e);
    }
    this.workers = new ThreadPoolExecutor(options.workers(), options.workers(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(options.queueCapacity()), daemonThreads("vk-webhook-worker-"));
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, daemonThreads("vk-webhook-io-"), NioIoHandler.newFactory());
  }

  void start() throws IOException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(eventLoop)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 256)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            ConnectionTimeouts timeouts = new ConnectionTimeouts(options.idleTimeout(), options.requestTimeout());
            channel.pipeline()
                .addLast("tls", tlsHandler())
                .addLast("timeouts", timeouts)
                .addLast("http", new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192))
                .addLast("body", new BoundedBody(options.maxRequestBytes(), timeouts))
                .addLast("review", new ReviewHandler(controller, ready, workers, WebhookServer.this::deadline, timeouts));
          }
        });
    try {
      listener = bootstrap.bind(options.bindAddress(), options.port()).sync().channel();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding", e);
    } catch (Exception e) {
      close();
      // bind failures arrive as checked exceptions Netty does not declare
      throw new IOException("cannot listen on " + options.bindAddress() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    LOG.info("serving admission reviews on https://{}:{}/mutate", options.bindAddress(), port());
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownNow();
  }

  private SslHandler tlsHandler() {
    SSLEngine engine = tls.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(PROTOCOLS);
    SslHandler handler = new SslHandler(engine);
    handler.setHandshakeTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    return handler;
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

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Collects a request body up to the limit; a larger one (declared, or chunked and growing) gets a
   * 413 Status. The rest of that body is read and dropped, so the client sees the answer instead of
   * a reset, and a keep-alive connection stays usable.
   */
  private static final class BoundedBody extends HttpObjectAggregator {

    private final int limit;
    private final ConnectionTimeouts timeouts;

    BoundedBody(int limit, ConnectionTimeouts timeouts) {
      super(limit);
      this.limit = limit;
      this.timeouts = timeouts;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      AdmissionController.Reply reply = AdmissionController.failure(413, "RequestEntityTooLarge",
          "the request body exceeds " + limit + " bytes");
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          Unpooled.wrappedBuffer(reply.body().getBytes(StandardCharsets.UTF_8)));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      HttpUtil.setContentLength(response, response.content().readableBytes());
      boolean keepOpen = HttpUtil.isKeepAlive(oversized) && ctx.channel().config().isAutoRead();
      HttpUtil.setKeepAlive(response, keepOpen);
      timeouts.requestReceived();
      ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
        if (keepOpen && written.isSuccess()) {
          timeouts.answerSent(); // what is left of the body counts as a new, time-limited request
        } else {
          written.channel().close();
        }
      });
    }
  }
}
