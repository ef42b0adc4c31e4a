package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonObject;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exec and attach over SPDY ({@code v4.channel.k8s.io}): the client opens an {@code error} stream
 * and one stream per standard stream it asked for ({@code stdin}, {@code stdout}, {@code stderr},
 * and {@code resize} with a terminal); once all are there the command starts. The session ends
 * with the output streams closed, the {@code Status} on the error stream, and the connection
 * closed.
 */
final class SpdyRemoteCommand implements SpdyConnection.Protocol, RemoteCommandSession.Transport {
  /** How long the client has to open its streams, as the kubelet allows. */
  static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  enum Kind { ERROR, STDIN, STDOUT, STDERR, RESIZE }

  private final RemoteCommandSession session;
  private final Channel channel;
  private final Set<Kind> expected = EnumSet.of(Kind.ERROR);
  private final Map<Kind, SpdyConnection.Stream> streams = new EnumMap<>(Kind.class);
  private SpdyConnection connection;
  private ScheduledFuture<?> creationTimeout;
  private boolean started;

  SpdyRemoteCommand(RemoteCommandSession session, Channel channel) {
    this.session = session;
    this.channel = channel;
    ExecRequest request = session.request();
    if (request.stdin()) {
      expected.add(Kind.STDIN);
    }
    if (request.stdout()) {
      expected.add(Kind.STDOUT);
    }
    if (request.stderr()) {
      expected.add(Kind.STDERR);
    }
    if (request.tty()) {
      expected.add(Kind.RESIZE);
    }
  }

  /** Binds the connection and starts waiting for the client's streams; on the event loop. */
  void attach(SpdyConnection connection) {
    this.connection = connection;
    creationTimeout = channel.eventLoop().schedule(() -> {
      if (!started) {
        channel.close(); // the client never opened all its streams
      }
    }, STREAM_CREATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean opened(SpdyConnection.Stream stream) {
    Kind kind;
    try {
      kind = Kind.valueOf(stream.header("streamtype").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return false;
    }
    if (started || !expected.contains(kind) || streams.containsKey(kind)) {
      return false;
    }
    streams.put(kind, stream);
    if (streams.keySet().equals(expected)) {
      started = true;
      creationTimeout.cancel(false);
      session.start(this);
    }
    return true;
  }

  @Override
  public void data(SpdyConnection.Stream stream, ByteBuf data) {
    if (stream == streams.get(Kind.STDIN)) {
      session.stdinData(data);
    } else if (stream == streams.get(Kind.RESIZE)) {
      session.resizeData(data);
    }
  }

  @Override
  public void halfClosed(SpdyConnection.Stream stream) {
    if (stream == streams.get(Kind.STDIN)) {
      session.stdinEnd();
    }
  }

  @Override
  public void reset(SpdyConnection.Stream stream) {
    channel.close(); // a client that resets a stream of the session has given up on it
  }

  @Override
  public void closed() {
    if (creationTimeout != null) {
      creationTimeout.cancel(false);
    }
    if (started) {
      session.clientGone();
    } else {
      session.abandon();
    }
  }

  @Override
  public void output(RemoteCommandSession.Output stream, ByteBuf data) {
    streams.get(stream == RemoteCommandSession.Output.STDOUT ? Kind.STDOUT : Kind.STDERR).send(data);
  }

  @Override
  public void finish(JsonObject status) {
    for (Kind kind : new Kind[] {Kind.STDOUT, Kind.STDERR}) {
      SpdyConnection.Stream stream = streams.get(kind);
      if (stream != null) {
        stream.finish();
      }
    }
    SpdyConnection.Stream error = streams.get(Kind.ERROR);
    error.send(Unpooled.copiedBuffer(status.toString(), StandardCharsets.UTF_8));
    error.finish();
    connection.close();
  }
}
