package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 connection as Kubernetes streaming uses it, on top of Netty's
 * frame codec: the client opens every stream (each with a {@code streamType} header), the server
 * replies to each and then writes data on it. There is no flow control, as in the Go library
 * clients use (it sends no window updates), so backpressure is TCP's ({@link Writability}); pings
 * are answered. What streams mean is the {@link Protocol}'s business.
 */
final class SpdyConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SpdyConnection.class);

  /** What a protocol (remote command, port-forward) does with the streams; called on the event loop. */
  interface Protocol {
    /** The client opened {@code stream} (already replied to); false resets it. */
    boolean opened(Stream stream);

    /** Bytes on a stream; the protocol copies what it keeps. */
    void data(Stream stream, ByteBuf data);

    /** The client will send nothing more on {@code stream}. */
    void halfClosed(Stream stream);

    /** The client reset {@code stream}. */
    void reset(Stream stream);

    /** The connection is gone. */
    void closed();
  }

  private final Protocol protocol;
  /** Confined to the event loop. */
  private final Map<Integer, Stream> streams = new HashMap<>();
  private Channel channel;
  private int lastStreamId;

  SpdyConnection(Protocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    LOG.trace("{}: {}", ctx.channel().remoteAddress(), message);
    try {
      if (message instanceof SpdySynStreamFrame syn) {
        open(syn);
      } else if (message instanceof SpdyDataFrame data) {
        Stream stream = streams.get(data.streamId());
        if (stream != null && !stream.remoteClosed) {
          if (data.content().isReadable()) {
            protocol.data(stream, data.content());
          }
          if (data.isLast()) {
            remoteClose(stream);
          }
        }
      } else if (message instanceof SpdyRstStreamFrame rst) {
        Stream stream = streams.remove(rst.streamId());
        if (stream != null) {
          stream.remoteClosed = true;
          protocol.reset(stream);
        }
      } else if (message instanceof SpdyHeadersFrame headers) {
        Stream stream = streams.get(headers.streamId());
        if (stream != null && headers.isLast()) {
          remoteClose(stream);
        }
      } else if (message instanceof SpdyPingFrame ping) {
        if ((ping.id() & 1) == 1) { // client-initiated: answer; our own would be even
          ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
        }
      } else if (message instanceof SpdyGoAwayFrame) {
        ctx.close();
      }
      // SETTINGS and WINDOW_UPDATE: nothing to do without flow control
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  private void open(SpdySynStreamFrame syn) {
    int id = syn.streamId();
    if (streams.containsKey(id) || id <= lastStreamId) {
      channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    lastStreamId = id;
    Stream stream = new Stream(id, syn.headers());
    streams.put(id, stream);
    channel.writeAndFlush(reply(id));
    if (!protocol.opened(stream)) {
      streams.remove(id);
      channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.REFUSED_STREAM));
      return;
    }
    if (syn.isLast()) {
      remoteClose(stream);
    }
  }

  /**
   * The reply to a new stream. It carries a header: Netty encodes an empty header block as no bytes
   * at all, and the Go client, which expects a compressed count of zero, drops the connection.
   */
  private static DefaultSpdySynReplyFrame reply(int id) {
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
    reply.headers().set(":status", "200");
    return reply;
  }

  private void remoteClose(Stream stream) {
    stream.remoteClosed = true;
    protocol.halfClosed(stream);
    forgetIfDone(stream);
  }

  private void forgetIfDone(Stream stream) {
    if (stream.remoteClosed && stream.localClosed.get()) {
      streams.remove(stream.id);
    }
  }

  /** Says goodbye once everything written before has gone out, then closes; any thread. */
  void close() {
    channel.eventLoop().execute(() -> channel.writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId))
        .addListener(ChannelFutureListener.CLOSE));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      LOG.debug("closing the idle streaming connection from {}", ctx.channel().remoteAddress());
      ctx.close();
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    streams.clear();
    protocol.closed();
    ctx.fireChannelInactive();
  }

  /** A stream the client opened. */
  final class Stream {
    final int id;
    final SpdyHeaders headers;
    /** Confined to the event loop. */
    private boolean remoteClosed;
    private final AtomicBoolean localClosed = new AtomicBoolean();

    Stream(int id, SpdyHeaders headers) {
      this.id = id;
      this.headers = headers;
    }

    /** A header of the stream's SYN_STREAM, or "". */
    String header(String name) {
      String value = headers.getAsString(name);
      return value == null ? "" : value;
    }

    /** Sends bytes on the stream; any thread, in order. */
    void send(ByteBuf data) {
      if (localClosed.get()) {
        data.release();
        return;
      }
      channel.writeAndFlush(new DefaultSpdyDataFrame(id, data));
    }

    /** Ends our side of the stream (once); any thread. */
    void finish() {
      if (localClosed.compareAndSet(false, true)) {
        DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
        fin.setLast(true);
        channel.writeAndFlush(fin).addListener(written -> forgetIfDone(this));
      }
    }

    @Override
    public String toString() {
      return "stream " + id + " (" + header("streamtype") + ")";
    }
  }
}
