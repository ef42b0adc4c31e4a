package io.vk4j.runtime.internal.kubelet;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.ProviderException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer, from any thread: writes go to the connection's event loop in order.
 * It answers once: completely ({@link #respond}, {@link #error}, {@link #fail}), or as a stream
 * ({@link #startStream}, then chunks, then {@link #endStream}). When the answer is out, the
 * connection reads its next request (keep-alive) or closes.
 */
final class Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

  private final ChannelHandlerContext ctx;
  private final String description;
  private final boolean keepAlive;
  private final boolean statusErrors;
  private final Runnable answered;
  private volatile boolean headSent;

  /**
   * @param statusErrors errors as a {@code Status} (streaming endpoints) rather than plain text
   * @param answered runs on the event loop once a keep-alive answer is out
   */
  Exchange(ChannelHandlerContext ctx, String description, boolean keepAlive, boolean statusErrors, Runnable answered) {
    this.ctx = ctx;
    this.description = description;
    this.keepAlive = keepAlive;
    this.statusErrors = statusErrors;
    this.answered = answered;
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  void respond(FullHttpResponse response) {
    headSent = true;
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.writeAndFlush(response).addListener(this::finished);
  }

  void error(HttpResponseStatus status, String message) {
    respond(statusErrors ? Replies.status(status, message) : Replies.text(status, message));
  }

  /** Answers a failure with the status its kind calls for; mid-stream, closes the connection. */
  void fail(Throwable failure) {
    if (headSent) {
      LOG.debug("kubelet API {}: failed mid-answer: {}", description, failure.toString());
      ctx.close();
      return;
    }
    if (failure instanceof HttpError e) {
      HttpResponseStatus status = HttpResponseStatus.valueOf(e.status());
      FullHttpResponse response = statusErrors ? Replies.status(status, e.getMessage()) : Replies.text(status, e.getMessage());
      if (e.allow() != null) {
        response.headers().set(HttpHeaderNames.ALLOW, e.allow());
      }
      respond(response);
    } else if (failure instanceof NotFoundException e) {
      error(HttpResponseStatus.NOT_FOUND, e.getMessage());
    } else if (failure instanceof InvalidInputException e) {
      error(HttpResponseStatus.BAD_REQUEST, e.reason() + ": " + e.getMessage());
    } else if (failure instanceof ProviderException e) {
      LOG.warn("kubelet API {}: provider failed: {}", description, e.toString());
      error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.reason() + ": " + e.getMessage());
    } else if (failure instanceof RejectedExecutionException) {
      error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the node is too busy to answer now; try again");
    } else {
      LOG.warn("kubelet API {} failed", description, failure);
      error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + failure);
    }
  }

  /** Sends the head of a streamed answer (chunked); chunks follow with {@link #write}. */
  void startStream(HttpResponse head) {
    headSent = true;
    HttpUtil.setTransferEncodingChunked(head, true);
    head.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? "keep-alive" : "close");
    ctx.writeAndFlush(head);
  }

  void write(Object chunk) {
    ctx.writeAndFlush(chunk);
  }

  void endStream() {
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(this::finished);
  }

  private void finished(io.netty.util.concurrent.Future<? super Void> written) {
    if (!keepAlive || !written.isSuccess()) {
      ctx.channel().close();
    } else {
      answered.run();
    }
  }
}
