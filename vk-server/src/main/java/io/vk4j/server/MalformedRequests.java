package io.vk4j.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/** A request the HTTP codec could not parse (or whose head was too large) gets a 400 with the reason; the connection closes. */
final class MalformedRequests extends ChannelInboundHandlerAdapter {

  private final ConnectionTimeouts timeouts;
  private final HttpsServer.Application application;

  MalformedRequests(ConnectionTimeouts timeouts, HttpsServer.Application application) {
    this.timeouts = timeouts;
    this.application = application;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof FullHttpRequest request && request.decoderResult().isFailure()) {
      String reason = String.valueOf(request.decoderResult().cause().getMessage());
      request.release();
      timeouts.requestReceived();
      FullHttpResponse response = application.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + reason);
      HttpUtil.setKeepAlive(response, false);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(message);
  }
}
