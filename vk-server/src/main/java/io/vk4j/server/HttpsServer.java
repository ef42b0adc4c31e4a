package io.vk4j.server;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS/1.1 server on Netty with the limits of {@link ServerLimits}. Every connection's pipeline
 * starts with the same handlers, named so that an application can find or replace them:
 *
 * <ol>
 *   <li>{@code tls}: {@link ServerTls}, with the handshake timeout;
 *   <li>{@code timeouts}: {@link ConnectionTimeouts} (idle and request limits);
 *   <li>{@code http}: Netty's codec, with the line and header limits;
 *   <li>{@code body}: whole requests up to the body limit (413 past it);
 *   <li>{@code malformed}: a request the codec could not parse gets a 400 and the connection closes;
 * </ol>
 *
 * then the application's own handlers, which receive {@link io.netty.handler.codec.http.FullHttpRequest}s,
 * and last {@code errors}, which closes the connection on any failure no handler dealt with (a
 * failed handshake, a reset) and logs it at debug level.
 * One event loop does TLS and HTTP for all connections, so an idle or slow connection costs a socket
 * and a little memory, never a thread. Past {@link ServerLimits#maxConnections()} a new connection
 * is answered 503 (after its TLS handshake, so that the client can read why) and closed.
 */
public final class HttpsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpsServer.class);
  /** Connections being refused at once past the limit; beyond this they are closed unanswered. */
  private static final int MAX_REFUSING = 64;
  private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(2);

  /** What a server does with the requests that pass the shared handlers. */
  public interface Application {

    /** Adds the handlers that answer requests at the end of a new connection's pipeline. */
    void addHandlers(ChannelPipeline pipeline, ConnectionTimeouts timeouts);

    /**
     * A complete error answer in the application's format: for a malformed request (400), a body
     * past the limit (413) or a connection past the limit (503).
     */
    FullHttpResponse error(HttpResponseStatus status, String message);
  }

  private final String name;
  private final ServerLimits limits;
  private final ServerTls tls;
  private final Application application;
  private final EventLoopGroup eventLoop;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();
  private Channel listener;

  private HttpsServer(String name, ServerLimits limits, ServerTls tls, Application application) {
    this.name = name;
    this.limits = limits;
    this.tls = tls;
    this.application = application;
    this.eventLoop = new MultiThreadIoEventLoopGroup(limits.ioThreads(), new ThreadFactoryBuilder()
        .setNameFormat(name + "-io-%d").setDaemon(true).setThreadFactory(FastThreadLocalThread::new).build(),
        NioIoHandler.newFactory());
  }

  /**
   * Listens and serves until {@link #close()}.
   *
   * @param name names the threads ({@code name-io-N}) and the log lines
   * @throws IOException when the address cannot be bound
   */
  public static HttpsServer start(String name, ServerLimits limits, ServerTls tls, Application application)
      throws IOException {
    HttpsServer server = new HttpsServer(name, limits, tls, application);
    server.bind();
    return server;
  }

  private void bind() throws IOException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(eventLoop)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (open.incrementAndGet() <= limits.maxConnections()) {
              channel.closeFuture().addListener(closed -> open.decrementAndGet());
              serve(channel);
            } else {
              open.decrementAndGet();
              refuse(channel);
            }
          }
        });
    try {
      listener = bootstrap.bind(limits.bindAddress(), limits.port()).sync().channel();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding", e);
    } catch (Exception e) {
      close();
      // bind failures arrive as checked exceptions Netty does not declare
      throw new IOException("cannot listen on " + limits.bindAddress() + ":" + limits.port() + ": " + e.getMessage(), e);
    }
  }

  private void serve(SocketChannel channel) {
    ConnectionTimeouts timeouts = new ConnectionTimeouts(limits.idleTimeout(), limits.requestTimeout());
    ChannelPipeline pipeline = channel.pipeline()
        .addLast("tls", tls.newHandler(channel.alloc(), limits.handshakeTimeout()))
        .addLast("timeouts", timeouts)
        .addLast("http", new HttpServerCodec(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), 8192))
        .addLast("body", new BodyLimit(limits.maxBodyBytes(), timeouts, application))
        .addLast("malformed", new MalformedRequests(timeouts, application));
    application.addHandlers(pipeline, timeouts);
    pipeline.addLast("errors", new ClosingOnError());
  }

  /** Past the connection limit: the client learns why, within a short time, and is let go. */
  private void refuse(SocketChannel channel) {
    if (refusing.incrementAndGet() > MAX_REFUSING) {
      refusing.decrementAndGet();
      channel.close();
      return;
    }
    channel.closeFuture().addListener(closed -> refusing.decrementAndGet());
    LOG.debug("{}: refusing a connection from {}: {} connections open", name, channel.remoteAddress(),
        limits.maxConnections());
    ConnectionTimeouts timeouts = new ConnectionTimeouts(REFUSAL_TIMEOUT, REFUSAL_TIMEOUT);
    channel.pipeline()
        .addLast("tls", tls.newHandler(channel.alloc(), REFUSAL_TIMEOUT))
        .addLast("timeouts", timeouts)
        .addLast("http", new HttpServerCodec(limits.maxInitialLineBytes(), limits.maxHeaderBytes(), 8192))
        .addLast("refuse", new Refusal(application.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "too many connections: this server holds " + limits.maxConnections()
                + " at most; try again later"), timeouts))
        .addLast("errors", new ClosingOnError());
  }

  /** Last in every pipeline: a failure nobody handled closes the connection, quietly. */
  private final class ClosingOnError extends ChannelInboundHandlerAdapter {
    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("{}: closing the connection from {}: {}", name, ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Connections open now (refused ones not counted). */
  public int openConnections() {
    return open.get();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
