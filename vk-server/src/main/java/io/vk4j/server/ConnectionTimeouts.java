package io.vk4j.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that holds the server's resources without making progress: one that sends
 * nothing for the idle limit between requests, and one whose request has not arrived whole within
 * the request limit after its first byte (a stalled or trickling client). Such a client costs a
 * socket for a bounded time and never a worker. One instance per connection, used on its event
 * loop only: the application's handler says when a request is whole and when its answer went out.
 * While an answer is on its way (a streamed log, an upgraded connection) no limit applies here.
 */
public final class ConnectionTimeouts extends ChannelDuplexHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);

  private final long idleNanos;
  private final long requestNanos;
  private ChannelHandlerContext context;
  private ScheduledFuture<?> timer;
  /** Bytes of a request have arrived and the request is not whole yet. */
  private boolean receiving;
  /** A whole request is being answered: no limit here, the application has its own. */
  private boolean answering;

  public ConnectionTimeouts(Duration idle, Duration request) {
    this.idleNanos = idle.toNanos();
    this.requestNanos = request.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
    arm(idleNanos, "idle");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!receiving && !answering) {
      receiving = true;
      arm(requestNanos, "request not complete");
    }
    ctx.fireChannelRead(message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  /** The request is whole; its answer is on its way. */
  public void requestReceived() {
    receiving = false;
    answering = true;
    cancel();
  }

  /** The answer went out; the connection waits for the next request. */
  public void answerSent() {
    answering = false;
    if (!receiving) {
      arm(idleNanos, "idle");
    }
  }

  private void arm(long nanos, String why) {
    cancel();
    timer = context.executor().schedule(() -> {
      LOG.debug("closing connection from {}: {} for {} ms", context.channel().remoteAddress(), why,
          TimeUnit.NANOSECONDS.toMillis(nanos));
      context.close();
    }, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
