package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A stream the client writes (stdin, the client side of a forwarded connection), fed by the event
 * loop and read by the provider's thread. It ends when the client closes its side or goes away.
 * Past {@link #HIGH_WATER} bytes buffered the connection stops reading until the reader catches up.
 */
final class StreamInput extends InputStream {
  static final int HIGH_WATER = 64 * 1024;
  private static final int LOW_WATER = 16 * 1024;

  private final ReadGate gate;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int position;
  private int buffered;
  private boolean ended;

  StreamInput(ReadGate gate) {
    this.gate = gate;
  }

  /** On the event loop: bytes from the client (copied; the caller keeps its buffer). */
  void offer(ByteBuf data) {
    if (!data.isReadable()) {
      return;
    }
    byte[] bytes = new byte[data.readableBytes()];
    data.readBytes(bytes);
    boolean full;
    synchronized (this) {
      if (ended) {
        return;
      }
      chunks.add(bytes);
      buffered += bytes.length;
      full = buffered > HIGH_WATER;
      notifyAll();
    }
    if (full) {
      gate.full(this);
    }
  }

  /** The client closed its side, or went away: reads return what is buffered, then -1. */
  void end() {
    synchronized (this) {
      ended = true;
      notifyAll();
    }
    gate.drained(this);
  }

  /** The session is over: nothing more is read. */
  void discard() {
    synchronized (this) {
      ended = true;
      chunks.clear();
      buffered = 0;
      notifyAll();
    }
    gate.drained(this);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int copied = 0;
    boolean drained;
    synchronized (this) {
      while (chunks.isEmpty() && !ended) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading from the client");
        }
      }
      if (chunks.isEmpty()) {
        return -1;
      }
      while (copied < length && !chunks.isEmpty()) {
        byte[] chunk = chunks.peek();
        int n = Math.min(length - copied, chunk.length - position);
        System.arraycopy(chunk, position, target, offset + copied, n);
        copied += n;
        position += n;
        if (position == chunk.length) {
          chunks.poll();
          position = 0;
        }
      }
      buffered -= copied;
      drained = buffered <= LOW_WATER;
    }
    if (drained) {
      gate.drained(this);
    }
    return copied;
  }

  @Override
  public synchronized int available() {
    return buffered;
  }
}
