package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.vk4j.api.PodRef;
import io.vk4j.api.PortForward;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Port-forward over SPDY ({@code portforward.k8s.io}), directly or tunnelled in a WebSocket: for
 * each connection a client makes to its local port, it opens an {@code error} and a {@code data}
 * stream with the same {@code requestID} and the pod's {@code port}. Each pair is one call of the
 * provider's {@link PortForward} on a streaming thread; when it ends both streams are closed, with
 * the reason on the error stream when it failed. The connection carries pairs until the client
 * closes it.
 */
final class SpdyPortForward implements SpdyConnection.Protocol {
  private final PodRef pod;
  private final PortForward provider;
  private final Channel channel;
  private final ReadGate gate;
  private final StreamSlots streams;
  /** Confined to the event loop. */
  private final Map<String, Pair> pairs = new HashMap<>();

  SpdyPortForward(PodRef pod, PortForward provider, Channel channel, ReadGate gate, StreamSlots streams) {
    this.pod = pod;
    this.provider = provider;
    this.channel = channel;
    this.gate = gate;
    this.streams = streams;
  }

  /** The two streams of one forwarded connection, and its session once both are there. */
  private final class Pair implements PortForwardSession.Transport {
    final String requestId;
    SpdyConnection.Stream error;
    SpdyConnection.Stream data;
    PortForwardSession session;
    /** Data that came before the pair was complete. */
    final List<ByteBuf> early = new ArrayList<>();
    boolean dataEnded;

    Pair(String requestId) {
      this.requestId = requestId;
    }

    @Override
    public void data(ByteBuf bytes) {
      data.send(bytes);
    }

    @Override
    public void finish(Optional<String> message) {
      message.ifPresent(text -> error.send(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
      error.finish();
      data.finish();
      channel.eventLoop().execute(() -> pairs.remove(requestId, this));
    }

    void drop() {
      early.forEach(ByteBuf::release);
      early.clear();
    }
  }

  @Override
  public boolean opened(SpdyConnection.Stream stream) {
    String type = stream.header("streamtype");
    if (!type.equals("error") && !type.equals("data")) {
      return false;
    }
    String requestId = stream.header("requestid");
    Pair pair = pairs.computeIfAbsent(requestId, Pair::new);
    if (type.equals("error") ? pair.error != null : pair.data != null) {
      return false;
    }
    if (type.equals("error")) {
      pair.error = stream;
    } else {
      pair.data = stream;
    }
    if (pair.error == null || pair.data == null) {
      // the other stream of the pair comes next; a client that never sends it loses this one
      channel.eventLoop().schedule(() -> {
        if (pairs.get(requestId) == pair && pair.session == null) {
          pairs.remove(requestId);
          pair.drop();
          channel.close();
        }
      }, SpdyRemoteCommand.STREAM_CREATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    }
    start(pair, stream.header("port"));
    return true;
  }

  private void start(Pair pair, String portHeader) {
    int port;
    try {
      port = Integer.parseInt(portHeader.isEmpty() ? pair.data.header("port") : portHeader);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      pair.drop();
      pair.finish(Optional.of("invalid port '" + portHeader + "': a port number from 1 to 65535 is required"));
      return;
    }
    Optional<StreamSlots.Slot> slot = streams.reserve();
    if (slot.isEmpty()) {
      pair.drop();
      pair.finish(Optional.of(streams.refusal()));
      return;
    }
    pair.session = new PortForwardSession(pod, port, provider, channel, gate, pair, slot.get());
    pair.early.forEach(bytes -> {
      pair.session.clientData(bytes);
      bytes.release();
    });
    pair.early.clear();
    if (pair.dataEnded) {
      pair.session.clientEnd();
    }
    pair.session.start();
  }

  @Override
  public void data(SpdyConnection.Stream stream, ByteBuf data) {
    Pair pair = pairOf(stream);
    if (pair == null || stream != pair.data) {
      return;
    }
    if (pair.session != null) {
      pair.session.clientData(data);
    } else if (pair.early.stream().mapToInt(ByteBuf::readableBytes).sum() < StreamInput.HIGH_WATER) {
      pair.early.add(data.copy());
    }
  }

  @Override
  public void halfClosed(SpdyConnection.Stream stream) {
    Pair pair = pairOf(stream);
    if (pair != null && stream == pair.data) {
      if (pair.session != null) {
        pair.session.clientEnd();
      } else {
        pair.dataEnded = true;
      }
    }
  }

  @Override
  public void reset(SpdyConnection.Stream stream) {
    Pair pair = pairOf(stream);
    if (pair != null) {
      pairs.remove(pair.requestId);
      pair.drop();
      if (pair.session != null) {
        pair.session.clientGone();
      }
    }
  }

  @Override
  public void closed() {
    for (Pair pair : pairs.values()) {
      pair.drop();
      if (pair.session != null) {
        pair.session.clientGone();
      }
    }
    pairs.clear();
  }

  private Pair pairOf(SpdyConnection.Stream stream) {
    Pair pair = pairs.get(stream.header("requestid"));
    return pair != null && (pair.data == stream || pair.error == stream) ? pair : null;
  }
}
