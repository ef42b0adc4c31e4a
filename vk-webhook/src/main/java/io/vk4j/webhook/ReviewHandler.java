package io.vk4j.webhook;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vk4j.server.ConnectionTimeouts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers whole HTTP requests of one connection. A review is answered on the event loop when it
 * needs nothing but the watch cache (a few microseconds of CPU, no hand-off between threads); one
 * that must read a namespace from the API server goes to a worker, so that no wait ever stalls the
 * event loop, and the connection reads no further until it is answered; requests already read
 * behind it (HTTP pipelining) wait for it, so answers keep the order of requests.
 */
final class ReviewHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewHandler.class);

  private final AdmissionController controller;
  private final BooleanSupplier ready;
  private final Executor workers;
  private final DeadlinePolicy deadlines;
  private final ConnectionTimeouts timeouts;
  /** Confined to the event loop: a review of this connection is on a worker, and what arrived behind it. */
  private boolean onWorker;
  private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>();

  /** When a review must be answered ({@link System#nanoTime()}), from when it arrived and its query string. */
  interface DeadlinePolicy {
    long deadline(long receivedNanos, String rawQuery);
  }

  ReviewHandler(AdmissionController controller, BooleanSupplier ready, Executor workers, DeadlinePolicy deadlines,
      ConnectionTimeouts timeouts) {
    this.controller = controller;
    this.ready = ready;
    this.workers = workers;
    this.deadlines = deadlines;
    this.timeouts = timeouts;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (onWorker) {
      // pipelined behind a review on a worker: answers must keep the order of requests
      held.add(request.retain());
      return;
    }
    handle(ctx, request);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held.forEach(FullHttpRequest::release);
    held.clear();
    ctx.fireChannelInactive();
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    long received = System.nanoTime();
    timeouts.requestReceived();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String uri = request.uri();
    int question = uri.indexOf('?');
    String path = question < 0 ? uri : uri.substring(0, question);
    String query = question < 0 ? null : uri.substring(question + 1);
    switch (path) {
      case "/healthz" -> probe(ctx, keepAlive, true, "ok");
      case "/readyz" -> probe(ctx, keepAlive, ready.getAsBoolean(), "namespace cache not synced");
      case "/mutate" -> mutate(ctx, request, keepAlive, deadlines.deadline(received, query));
      default -> answer(ctx, AdmissionController.failure(404, "NotFound", "no such path: " + path), keepAlive, null);
    }
  }

  private void mutate(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, long deadline) {
    if (!HttpMethod.POST.equals(request.method())) {
      answer(ctx, AdmissionController.failure(405, "MethodNotAllowed", "use POST for admission reviews"), keepAlive,
          "POST");
      return;
    }
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
      answer(ctx, AdmissionController.failure(415, "UnsupportedMediaType",
          "Content-Type must be application/json, not " + contentType), keepAlive, null);
      return;
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    Optional<AdmissionController.Reply> atOnce;
    try {
      atOnce = controller.reviewAtOnce(body, deadline);
    } catch (RuntimeException | Error e) {
      atOnce = Optional.of(internalError(e));
    }
    if (atOnce.isPresent()) {
      answer(ctx, atOnce.get(), keepAlive, null);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    onWorker = true;
    try {
      workers.execute(() -> send(ctx, response(review(body, deadline), null), keepAlive, true));
    } catch (RejectedExecutionException e) {
      send(ctx, response(AdmissionController.failure(503, "ServiceUnavailable",
          "too many reviews are waiting; the webhook is overloaded"), null), keepAlive, true);
    }
  }

  private AdmissionController.Reply review(byte[] body, long deadline) {
    if (System.nanoTime() > deadline) {
      return AdmissionController.failure(503, "ServiceUnavailable",
          "the review waited past its deadline; the webhook is overloaded");
    }
    try {
      return controller.review(body, deadline);
    } catch (RuntimeException | Error e) {
      return internalError(e);
    }
  }

  private static AdmissionController.Reply internalError(Throwable e) {
    LOG.error("failed to answer an admission review", e);
    return AdmissionController.failure(500, "InternalError", "internal error: " + e);
  }

  private void probe(ChannelHandlerContext ctx, boolean keepAlive, boolean ok, String notOkReason) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
        Unpooled.copiedBuffer(ok ? "ok" : notOkReason, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    send(ctx, response, keepAlive, false);
  }

  private void answer(ChannelHandlerContext ctx, AdmissionController.Reply reply, boolean keepAlive, String allow) {
    send(ctx, response(reply, allow), keepAlive, false);
  }

  private static FullHttpResponse response(AdmissionController.Reply reply, String allow) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body().getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    if (allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    return response;
  }

  /**
   * Writes an answer (from any thread: Netty runs the write on the connection's event loop). Once
   * the answer of a worker is out, the requests held behind it are answered and reading resumes.
   */
  private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean fromWorker) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
      if (!keepAlive || !written.isSuccess()) {
        written.channel().close();
        return;
      }
      timeouts.answerSent();
      if (fromWorker) {
        onWorker = false;
        while (!onWorker && !held.isEmpty()) {
          FullHttpRequest next = held.poll();
          try {
            handle(ctx, next);
          } finally {
            next.release();
          }
        }
      }
      if (!onWorker) {
        written.channel().config().setAutoRead(true);
      }
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
