package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPDY framing as kubectl speaks it, through Netty's codec on both ends: the server side is the one under test. */
class SpdyConnectionTest {
  private final List<String> events = new ArrayList<>();
  private final SpdyConnection.Protocol recorder = new SpdyConnection.Protocol() {
    @Override
    public boolean opened(SpdyConnection.Stream stream) {
      events.add("opened " + stream.id + " " + stream.header("streamtype"));
      last = stream;
      return !stream.header("streamtype").equals("unknown");
    }

    @Override
    public void data(SpdyConnection.Stream stream, ByteBuf data) {
      events.add("data " + stream.id + " " + data.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void halfClosed(SpdyConnection.Stream stream) {
      events.add("halfClosed " + stream.id);
    }

    @Override
    public void reset(SpdyConnection.Stream stream) {
      events.add("reset " + stream.id);
    }

    @Override
    public void closed() {
      events.add("closed");
    }
  };
  private final SpdyConnection connection = new SpdyConnection(recorder);
  private final EmbeddedChannel server = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1), connection);
  private SpdyConnection.Stream last;
  private final EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, false));

  @AfterEach
  void close() {
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }

  /** Encodes {@code frame} as the client would and hands the bytes to the server. */
  private void fromClient(Object frame) {
    client.writeOutbound(frame);
    for (ByteBuf bytes = client.readOutbound(); bytes != null; bytes = client.readOutbound()) {
      server.writeInbound(bytes);
    }
  }

  /** What the server sent, decoded as the client would. */
  private List<Object> toClient() {
    for (ByteBuf bytes = server.readOutbound(); bytes != null; bytes = server.readOutbound()) {
      client.writeInbound(bytes);
    }
    List<Object> frames = new ArrayList<>();
    for (Object frame = client.readInbound(); frame != null; frame = client.readInbound()) {
      frames.add(frame);
    }
    return frames;
  }

  private static DefaultSpdySynStreamFrame syn(int id, String type) {
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    syn.headers().set("streamtype", type);
    return syn;
  }

  @Test
  void everyStreamTheClientOpensIsRepliedToAndItsDataAndEndReachTheProtocol() {
    fromClient(syn(1, "stdin"));
    DefaultSpdyDataFrame data = new DefaultSpdyDataFrame(1, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
    fromClient(data);
    DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(1);
    fin.setLast(true);
    fromClient(fin);

    List<Object> replies = toClient();
    assertThat(replies).hasSize(1).first().isInstanceOfSatisfying(SpdySynReplyFrame.class,
        reply -> assertThat(reply.streamId()).isEqualTo(1));
    assertThat(events).containsExactly("opened 1 stdin", "data 1 hello", "halfClosed 1");
  }

  @Test
  void theReplyCarriesAHeaderBlockAsGoClientsRequire() {
    fromClient(syn(1, "error"));

    ByteBuf reply = server.readOutbound();
    assertThat(reply.getUnsignedShort(2)).as("frame type").isEqualTo(2); // SYN_REPLY
    assertThat(reply.getUnsignedMedium(5)).as("frame length: stream id and a header block").isGreaterThan(4);
    reply.release();
  }

  @Test
  void serverDataAndItsEndGoOutOnTheStream() {
    fromClient(syn(3, "stdout"));
    toClient();
    SpdyConnection.Stream stream = last;

    stream.send(Unpooled.copiedBuffer("out", StandardCharsets.UTF_8));
    stream.finish();
    stream.finish(); // once only

    List<Object> frames = toClient();
    assertThat(frames).hasSize(2);
    assertThat(((SpdyDataFrame) frames.get(0)).content().toString(StandardCharsets.UTF_8)).isEqualTo("out");
    assertThat(((SpdyDataFrame) frames.get(1)).isLast()).isTrue();
    frames.forEach(io.netty.util.ReferenceCountUtil::release);
  }

  @Test
  void aStreamTheProtocolRefusesIsReset() {
    fromClient(syn(1, "unknown"));

    List<Object> frames = toClient();
    assertThat(frames).hasSize(2);
    assertThat(frames.get(1)).isInstanceOf(SpdyRstStreamFrame.class);
  }

  @Test
  void clientPingsAreAnswered() {
    fromClient(new DefaultSpdyPingFrame(7));

    assertThat(toClient()).singleElement().isInstanceOfSatisfying(SpdyPingFrame.class,
        ping -> assertThat(ping.id()).isEqualTo(7));
  }

  @Test
  void theProtocolHearsWhenTheConnectionCloses() {
    server.close();

    assertThat(events).containsExactly("closed");
  }
}
