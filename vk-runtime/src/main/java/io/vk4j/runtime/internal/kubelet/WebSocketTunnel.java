package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * A byte stream inside a WebSocket, as kubectl tunnels SPDY for port-forward ({@code
 * SPDY/3.1+portforward.k8s.io}): the content of binary messages is read as bytes, bytes written
 * go out as binary messages. Pings are answered; a close ends the connection.
 */
final class WebSocketTunnel extends ChannelDuplexHandler {
  static final String PORT_FORWARD = "SPDY/3.1+portforward.k8s.io";

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof BinaryWebSocketFrame || message instanceof ContinuationWebSocketFrame) {
      ctx.fireChannelRead(((WebSocketFrame) message).content());
    } else if (message instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
    } else if (message instanceof CloseWebSocketFrame) {
      ReferenceCountUtil.release(message);
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof ByteBuf bytes) {
      ctx.write(new BinaryWebSocketFrame(bytes), promise);
    } else {
      ctx.write(message, promise);
    }
  }
}
