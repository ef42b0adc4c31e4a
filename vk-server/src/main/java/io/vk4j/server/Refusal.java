package io.vk4j.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/** Answers the first request of a connection past the limit with a prepared error, then closes it. */
final class Refusal extends ChannelInboundHandlerAdapter {

  private final FullHttpResponse answer;
  private final ConnectionTimeouts timeouts;
  private boolean answered;

  Refusal(FullHttpResponse answer, ConnectionTimeouts timeouts) {
    this.answer = answer;
    this.timeouts = timeouts;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    ReferenceCountUtil.release(message);
    if (message instanceof HttpRequest && !answered) {
      answered = true;
      timeouts.requestReceived();
      HttpUtil.setKeepAlive(answer, false);
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!answered) {
      answer.release();
    }
    ctx.fireChannelInactive();
  }
}
