package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EphemeralContainer;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.vk4j.api.ContainerAttach;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.PodRef;
import io.vk4j.api.PortForward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code /exec}, {@code /attach} and {@code /portForward}: checks the request (the provider's
 * capability, the pod and container, a free streaming slot, a protocol both sides speak), answers
 * 101 and switches the connection to the protocol the client chose:
 *
 * <ul>
 *   <li>WebSocket, {@code v5.channel.k8s.io} or {@code v4.channel.k8s.io}, for exec and attach
 *       (kubectl 1.30+ tries it first);
 *   <li>WebSocket with SPDY inside, {@code SPDY/3.1+portforward.k8s.io}, for port-forward (kubectl
 *       1.31+ tries it first);
 *   <li>SPDY/3.1, {@code v4.channel.k8s.io} or {@code portforward.k8s.io}, what older clients and
 *       kubectl's fallback speak.
 * </ul>
 *
 * Every refusal comes before the switch, as a {@code Status} that kubectl prints (and, for a
 * refused WebSocket, a reason to fall back to SPDY).
 */
final class Streaming {
  private static final String SPDY = "SPDY/3.1";
  private static final String REMOTE_COMMAND_V4 = "v4.channel.k8s.io";
  private static final String PORT_FORWARD_V1 = "portforward.k8s.io";
  private static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
  private static final int MAX_WEBSOCKET_MESSAGE = 1 << 20;

  private final Kubelet kubelet;

  Streaming(Kubelet kubelet) {
    this.kubelet = kubelet;
  }

  void remoteCommand(Exchange exchange, FullHttpRequest request, boolean attach, List<String> path,
      QueryParameters query) throws HttpError {
    if (attach ? !(kubelet.provider() instanceof ContainerAttach) : !(kubelet.provider() instanceof ContainerExec)) {
      throw HttpError.notImplemented(attach
          ? "attach is not supported by this virtual node's provider"
          : "exec is not supported by this virtual node's provider");
    }
    ExecRequest exec = ExecRequest.parse(path, query, attach);
    requireContainer(exec.container());
    Upgrade upgrade = Upgrade.of(request);
    String protocol = upgrade.websocket()
        ? negotiate(upgrade.offered(), List.of(WebSocketRemoteCommand.V5, WebSocketRemoteCommand.V4))
        : negotiate(upgrade.offered(), List.of(REMOTE_COMMAND_V4));
    StreamSlots.Slot slot = reserve();
    ChannelHandlerContext ctx = exchange.context();
    Channel channel = ctx.channel();
    RemoteCommandSession session = new RemoteCommandSession(exec, kubelet.provider(), channel, new ReadGate(channel),
        slot);
    if (upgrade.websocket()) {
      switchToWebSocket(ctx, request, protocol, slot, new WebSocketRemoteCommand(session, protocol));
    } else {
      SpdyRemoteCommand streams = new SpdyRemoteCommand(session, channel);
      SpdyConnection connection = new SpdyConnection(streams);
      streams.attach(connection);
      switchToSpdy(ctx, protocol, connection);
    }
  }

  void portForward(Exchange exchange, FullHttpRequest request, List<String> path) throws HttpError {
    if (!(kubelet.provider() instanceof PortForward forward)) {
      throw HttpError.notImplemented("port-forward is not supported by this virtual node's provider");
    }
    // {namespace}/{pod} or {namespace}/{pod}/{uid}
    if (path.size() != 2 && path.size() != 3) {
      throw HttpError.notFound("expected /portForward/{namespace}/{pod}");
    }
    PodRef pod = PodRef.of(path.get(0), path.get(1));
    requirePod(pod.namespace(), pod.name());
    Upgrade upgrade = Upgrade.of(request);
    String protocol = upgrade.websocket()
        ? negotiate(upgrade.offered(), List.of(WebSocketTunnel.PORT_FORWARD))
        : negotiate(upgrade.offered(), List.of(PORT_FORWARD_V1));
    ChannelHandlerContext ctx = exchange.context();
    Channel channel = ctx.channel();
    SpdyConnection connection = new SpdyConnection(
        new SpdyPortForward(pod, forward, channel, new ReadGate(channel), kubelet.streams()));
    if (upgrade.websocket()) {
      switchToWebSocket(ctx, request, protocol, null, new WebSocketTunnel(),
          new SpdyFrameCodec(SpdyVersion.SPDY_3_1), connection);
    } else {
      switchToSpdy(ctx, protocol, connection);
    }
  }

  private StreamSlots.Slot reserve() throws HttpError {
    return kubelet.streams().reserve()
        .orElseThrow(() -> new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE.code(), kubelet.streams().refusal()));
  }

  private V1Pod requirePod(String namespace, String name) throws HttpError {
    return kubelet.podsOnNode().get().stream()
        .filter(p -> p.getMetadata() != null && namespace.equals(p.getMetadata().getNamespace())
            && name.equals(p.getMetadata().getName()))
        .findFirst()
        .orElseThrow(() -> HttpError.notFound("pod " + namespace + "/" + name + " not found on node "
            + kubelet.nodeName()));
  }

  private void requireContainer(ContainerRef container) throws HttpError {
    V1PodSpec spec = requirePod(container.namespace(), container.podName()).getSpec();
    List<String> names = new ArrayList<>();
    if (spec != null) {
      Optional.ofNullable(spec.getContainers()).orElse(List.of()).stream().map(V1Container::getName).forEach(names::add);
      Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream().map(V1Container::getName)
          .forEach(names::add);
      Optional.ofNullable(spec.getEphemeralContainers()).orElse(List.of()).stream()
          .map(V1EphemeralContainer::getName).forEach(names::add);
    }
    if (!names.contains(container.containerName())) {
      throw HttpError.notFound("container " + container.containerName() + " not found in pod "
          + container.namespace() + "/" + container.podName());
    }
  }

  /** The first protocol the client offers that we speak; clients list theirs by preference. */
  private static String negotiate(List<String> offered, List<String> supported) throws HttpError {
    return offered.stream().filter(supported::contains).findFirst().orElseThrow(() -> HttpError.badRequest(
        "unable to negotiate a streaming protocol: the client offers " + offered + ", this node speaks " + supported));
  }

  /** The upgrade a request asks for: WebSocket or SPDY/3.1, and the protocols it offers. */
  private record Upgrade(boolean websocket, List<String> offered) {
    static Upgrade of(FullHttpRequest request) throws HttpError {
      String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
      if (upgrade.equalsIgnoreCase("websocket")) {
        return new Upgrade(true, list(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)));
      }
      if (upgrade.equalsIgnoreCase(SPDY)) {
        return new Upgrade(false, list(request.headers().getAll(PROTOCOL_HEADER)));
      }
      throw HttpError.badRequest("Upgrade request required: this endpoint streams over WebSocket or SPDY/3.1"
          + " (as kubectl exec, attach and port-forward do)");
    }

    private static List<String> list(List<String> headers) {
      return headers.stream().flatMap(h -> Arrays.stream(h.split(","))).map(String::trim)
          .filter(s -> !s.isEmpty()).toList();
    }
  }

  /** Answers 101 and puts SPDY in place of HTTP; on the event loop, before anything else is read. */
  private void switchToSpdy(ChannelHandlerContext ctx, String protocol, SpdyConnection connection) {
    FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    switching.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, SPDY)
        .set(PROTOCOL_HEADER, protocol);
    ctx.writeAndFlush(switching); // encoded at once by the HTTP codec, which goes next
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addBefore("http", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    pipeline.remove("http");
    streamingHandlers(ctx, connection);
    ctx.channel().config().setAutoRead(true);
  }

  /**
   * Answers the WebSocket handshake with {@code protocol}, then {@code handlers} take the frames;
   * a handshake Netty refuses is a 400 (and the slot, if any, is given back).
   */
  private void switchToWebSocket(ChannelHandlerContext ctx, FullHttpRequest request, String protocol,
      StreamSlots.Slot slot, ChannelHandler... handlers) throws HttpError {
    if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
      release(slot);
      throw HttpError.badRequest("unsupported WebSocket version; use 13");
    }
    WebSocketServerHandshaker13 handshaker = new WebSocketServerHandshaker13("wss://" + request.headers()
        .get(HttpHeaderNames.HOST, "") + request.uri(), protocol,
        WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_WEBSOCKET_MESSAGE).build());
    Channel channel = ctx.channel();
    try {
      handshaker.handshake(channel, request).addListener(done -> {
        if (done.isSuccess()) {
          channel.config().setAutoRead(true);
        } else {
          channel.close();
        }
      });
    } catch (WebSocketHandshakeException e) {
      release(slot);
      throw HttpError.badRequest("WebSocket handshake refused: " + e.getMessage());
    }
    // the handshaker put the WebSocket codec before HTTP's, which it removes once the 101 is out
    ChannelHandler[] all = Stream.concat(Stream.of(new WebSocketFrameAggregator(MAX_WEBSOCKET_MESSAGE)),
        Arrays.stream(handlers)).toArray(ChannelHandler[]::new);
    streamingHandlers(ctx, all);
  }

  /** Replaces the request handling of an upgraded connection by {@code handlers} and its stream idle limit. */
  private void streamingHandlers(ChannelHandlerContext ctx, ChannelHandler... handlers) {
    ChannelPipeline pipeline = ctx.pipeline();
    for (String name : List.of("body", "malformed", "timeouts")) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
    long idle = kubelet.options().streamIdleTimeout().toMillis();
    pipeline.addBefore("errors", "stream-idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
    for (int i = 0; i < handlers.length; i++) {
      pipeline.addBefore("errors", "stream-" + i, handlers[i]);
    }
    pipeline.remove(ctx.handler());
  }

  private static void release(StreamSlots.Slot slot) {
    if (slot != null) {
      slot.release();
    }
  }
}
