package io.vk4j.runtime.internal.kubelet;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets writers wait until a connection can take more (its outbound buffer drained below Netty's
 * low-water mark), so a slow client slows the writer down instead of filling memory: a thread
 * blocks in {@link #awaitWritable}, event-driven code registers {@link #whenWritable}. One per
 * connection; it stays in the pipeline when the connection switches protocols.
 */
final class Writability extends ChannelInboundHandlerAdapter {
  private final Channel channel;
  /** Confined to the event loop. */
  private final List<Runnable> waiting = new ArrayList<>();

  Writability(Channel channel) {
    this.channel = channel;
  }

  static Writability of(Channel channel) {
    return channel.pipeline().get(Writability.class);
  }

  /** Blocks (never on the event loop) until the connection is writable; fails once it is closed. */
  void awaitWritable() throws IOException {
    synchronized (this) {
      while (!channel.isWritable()) {
        if (!channel.isActive()) {
          throw new IOException("the client went away");
        }
        try {
          wait(1000); // woken by channelWritabilityChanged; the timeout only re-checks a closed channel
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        }
      }
    }
    if (!channel.isActive()) {
      throw new IOException("the client went away");
    }
  }

  /** Runs {@code task} on the event loop once the connection is writable (at once if it is); dropped if it closes. */
  void whenWritable(Runnable task) {
    channel.eventLoop().execute(() -> {
      if (channel.isWritable()) {
        task.run();
      } else if (channel.isActive()) {
        waiting.add(task);
      }
    });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable()) {
      synchronized (this) {
        notifyAll();
      }
      List<Runnable> ready = new ArrayList<>(waiting);
      waiting.clear();
      ready.forEach(Runnable::run);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    synchronized (this) {
      notifyAll();
    }
    waiting.clear();
    ctx.fireChannelInactive();
  }
}
