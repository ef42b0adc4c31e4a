package io.vk4j.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Collects a request body up to the limit; a larger one (declared, or chunked and growing) gets a
 * 413. The rest of that body is read and dropped, so the client sees the answer instead of a reset,
 * and a keep-alive connection stays usable.
 */
final class BodyLimit extends HttpObjectAggregator {

  private final int limit;
  private final ConnectionTimeouts timeouts;
  private final HttpsServer.Application application;

  BodyLimit(int limit, ConnectionTimeouts timeouts, HttpsServer.Application application) {
    super(limit);
    this.limit = limit;
    this.timeouts = timeouts;
    this.application = application;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    FullHttpResponse response = application.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        "the request body exceeds " + limit + " bytes");
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
