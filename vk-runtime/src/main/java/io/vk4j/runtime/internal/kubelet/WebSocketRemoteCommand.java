package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;

/**
 * Exec and attach over WebSocket, {@code v4.channel.k8s.io} and {@code v5.channel.k8s.io}: every
 * binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize); in v5 a
 * message on channel 255 closes the channel it names, which is how a client ends its stdin. The
 * session ends with the {@code Status} on channel 3 and a normal close.
 */
final class WebSocketRemoteCommand extends SimpleChannelInboundHandler<WebSocketFrame>
    implements RemoteCommandSession.Transport {
  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";
  private static final int STDIN = 0;
  private static final int STDOUT = 1;
  private static final int STDERR = 2;
  private static final int ERROR = 3;
  private static final int RESIZE = 4;
  private static final int CLOSE = 255;

  private final RemoteCommandSession session;
  private final boolean closeSignal;
  private Channel channel;

  WebSocketRemoteCommand(RemoteCommandSession session, String protocol) {
    this.session = session;
    this.closeSignal = protocol.equals(V5);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    session.start(this);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof BinaryWebSocketFrame binary) {
      ByteBuf content = binary.content();
      if (!content.isReadable()) {
        return;
      }
      int stream = content.readUnsignedByte();
      if (stream == STDIN) {
        session.stdinData(content);
      } else if (stream == RESIZE) {
        session.resizeData(content);
      } else if (stream == CLOSE && closeSignal && content.isReadable() && content.readUnsignedByte() == STDIN) {
        session.stdinEnd();
      }
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void output(RemoteCommandSession.Output stream, ByteBuf data) {
    send(stream == RemoteCommandSession.Output.STDOUT ? STDOUT : STDERR, data);
  }

  @Override
  public void finish(JsonObject status) {
    send(ERROR, Unpooled.copiedBuffer(status.toString(), StandardCharsets.UTF_8));
    channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void send(int stream, ByteBuf data) {
    ByteBuf message = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) stream}), data);
    channel.writeAndFlush(new BinaryWebSocketFrame(message));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    session.clientGone();
    ctx.fireChannelInactive();
  }
}
