package io.vk4j.eci.emulator;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the {@code WebSocketUri} of interactive ExecContainerCommand sessions. ECI's reference does not
 * describe the messages, so the emulator uses the framing of Kubernetes' channel protocol: binary messages
 * whose first byte is the channel: 0 stdin, 1 stdout, 2 stderr, 3 the exit status (a Kubernetes Status in
 * JSON, then the socket closes), 4 a terminal size ({@code {"Width":80,"Height":24}}), and {@code 255 0} for
 * the client's end of stdin. At most {@link #MAX_SESSIONS} sessions at once; an idle one is closed after
 * {@link #IDLE_SECONDS} s.
 */
final class ExecWebSocketServer implements AutoCloseable {
  static final String PATH = "/exec";
  static final int MAX_SESSIONS = 64;
  static final int IDLE_SECONDS = 600;
  static final byte STDIN = 0;
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte STATUS = 3;
  static final byte RESIZE = 4;
  static final byte CLOSE = (byte) 255;

  private final String host;
  private final ExecSessions sessions;
  private final ContainerGroupStore store;
  private final AtomicInteger open = new AtomicInteger();
  private EventLoopGroup loop;
  private Channel listener;

  ExecWebSocketServer(String host, ExecSessions sessions, ContainerGroupStore store) {
    this.host = host;
    this.sessions = sessions;
    this.store = store;
  }

  /** Binds {@code port} (0: any) and returns the port bound. */
  synchronized int start(int port) throws InterruptedException {
    loop = new MultiThreadIoEventLoopGroup(2, new ThreadFactoryBuilder().setNameFormat("eci-emulator-exec-%d")
        .setDaemon(true).build(), NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new IdleStateHandler(0, 0, IDLE_SECONDS), new Handshake());
          }
        });
    listener = bootstrap.bind(host, port).sync().channel();
    int bound = ((InetSocketAddress) listener.localAddress()).getPort();
    sessions.address(host + ":" + bound);
    return bound;
  }

  @Override
  public synchronized void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly();
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      listener = null;
    }
  }

  /** Checks the token and upgrades the connection. */
  private final class Handshake extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      QueryStringDecoder query = new QueryStringDecoder(request.uri());
      if (!query.path().equals(PATH)) {
        refuse(ctx, HttpResponseStatus.NOT_FOUND, "the emulator serves exec sessions at " + PATH);
        return;
      }
      List<String> token = query.parameters().getOrDefault("token", List.of());
      ExecSessions.Session session = token.isEmpty() ? null : sessions.take(token.get(0)).orElse(null);
      if (session == null) {
        refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "the exec token is unknown, used, or older than 30 s");
        return;
      }
      if (open.incrementAndGet() > MAX_SESSIONS) {
        open.decrementAndGet();
        refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "at most " + MAX_SESSIONS + " exec sessions at once");
        return;
      }
      ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
      WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://" + host + PATH, null, false,
          64 * 1024).newHandshaker(request);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      handshaker.handshake(ctx.channel(), request).addListener(f -> {
        if (f.isSuccess()) {
          ctx.pipeline().replace(this, "exec", new Frames(handshaker, session));
        } else {
          ctx.close();
        }
      });
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
      DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** One session: frames in to the process, its output out as frames. */
  private final class Frames extends ChannelInboundHandlerAdapter implements InteractiveExec.Output {
    private final WebSocketServerHandshaker handshaker;
    private final ExecSessions.Session session;
    private Channel channel;
    private InteractiveExec process;

    Frames(WebSocketServerHandshaker handshaker, ExecSessions.Session session) {
      this.handshaker = handshaker;
      this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      process = new InteractiveExec(store, session, this);
      process.start();
      if (!session.stdin()) {
        process.stdinClosed();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      WebSocketFrame frame = (WebSocketFrame) message;
      try {
        if (frame instanceof BinaryWebSocketFrame binary && binary.content().isReadable()) {
          ByteBuf content = binary.content();
          byte stream = content.readByte();
          byte[] data = new byte[content.readableBytes()];
          content.readBytes(data);
          if (stream == STDIN && session.stdin()) {
            process.input(data);
          } else if (stream == RESIZE && session.tty()) {
            JsonObject size = JsonParser.parseString(new String(data, StandardCharsets.UTF_8)).getAsJsonObject();
            process.resize(size.get("Width").getAsInt(), size.get("Height").getAsInt());
          } else if (stream == CLOSE && data.length == 1 && data[0] == STDIN) {
            process.stdinClosed();
          }
        } else if (frame instanceof CloseWebSocketFrame) {
          handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
        } else if (frame instanceof PingWebSocketFrame) {
          ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
      } catch (RuntimeException e) {
        stderr(("emulator: unreadable message: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      } finally {
        frame.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void stdout(byte[] bytes) {
      send(STDOUT, bytes);
    }

    @Override
    public void stderr(byte[] bytes) {
      send(session.tty() ? STDOUT : STDERR, bytes);
    }

    @Override
    public void exit(int code) {
      JsonObject status = new JsonObject();
      status.addProperty("kind", "Status");
      status.addProperty("apiVersion", "v1");
      status.addProperty("status", code == 0 ? "Success" : "Failure");
      if (code != 0) {
        status.addProperty("reason", "NonZeroExitCode");
        status.addProperty("message", "command terminated with non-zero exit code " + code);
        JsonObject cause = new JsonObject();
        cause.addProperty("reason", "ExitCode");
        cause.addProperty("message", Integer.toString(code));
        JsonObject details = new JsonObject();
        com.google.gson.JsonArray causes = new com.google.gson.JsonArray();
        causes.add(cause);
        details.add("causes", causes);
        status.add("details", details);
      }
      send(STATUS, status.toString().getBytes(StandardCharsets.UTF_8));
      handshaker.close(channel, new CloseWebSocketFrame(1000, "exited"));
    }

    private void send(byte stream, byte[] bytes) {
      ByteBuf buffer = Unpooled.buffer(bytes.length + 1).writeByte(stream).writeBytes(bytes);
      channel.writeAndFlush(new BinaryWebSocketFrame(buffer));
    }
  }
}
