package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * A stream the provider writes for the client (stdout, stderr, the pod side of a forwarded
 * connection): each write is sent at once as one or more frames; a write waits while the client is
 * slow to read and fails once the session is over or the client has gone.
 */
final class StreamOutput extends OutputStream {
  private static final int MAX_FRAME = 32 * 1024;

  private final Channel channel;
  private final Consumer<ByteBuf> frames;
  private volatile boolean closed;

  /** @param frames turns bytes into what goes on the wire (a SPDY data frame, a WebSocket message); any thread */
  StreamOutput(Channel channel, Consumer<ByteBuf> frames) {
    this.channel = channel;
    this.frames = frames;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    for (int sent = 0; sent < length; sent += MAX_FRAME) {
      if (closed || !channel.isActive()) {
        throw new IOException("the session is over: the client went away or the session ended");
      }
      Writability.of(channel).awaitWritable();
      frames.accept(Unpooled.copiedBuffer(bytes, offset + sent, Math.min(MAX_FRAME, length - sent)));
    }
  }

  /** Further writes fail; what was written is on its way. */
  @Override
  public void close() {
    closed = true;
  }
}
