package io.vk4j.runtime.internal.kubelet;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.vk4j.api.ContainerRef;
import io.vk4j.server.ConnectionTimeouts;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one connection: {@code /healthz} at once; anything else once the client
 * is authenticated and authorized for it (both may have to ask the API server, on a worker; the
 * connection reads nothing more meanwhile), then routed. Requests that arrive behind one being
 * answered (pipelining) wait their turn.
 */
final class KubeletHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletHandler.class);

  private final Kubelet kubelet;
  private final ConnectionTimeouts timeouts;
  private final Streaming streaming;
  /** Confined to the event loop. */
  private boolean busy;
  private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>();

  KubeletHandler(Kubelet kubelet, ConnectionTimeouts timeouts, Streaming streaming) {
    this.kubelet = kubelet;
    this.timeouts = timeouts;
    this.streaming = streaming;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    request.retain();
    if (busy) {
      held.add(request);
    } else {
      handle(ctx, request);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    held.forEach(FullHttpRequest::release);
    held.clear();
    ctx.fireChannelInactive();
  }

  /** Takes ownership of {@code request} (released here). */
  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    busy = true;
    timeouts.requestReceived();
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    Endpoint endpoint = Endpoint.of(path);
    Exchange exchange = new Exchange(ctx, request.method() + " " + path, HttpUtil.isKeepAlive(request),
        endpoint.streaming(), () -> answered(ctx));
    if (endpoint == Endpoint.HEALTHZ) {
      try {
        exchange.respond(Replies.of(HttpResponseStatus.OK, Replies.TEXT, "ok"));
      } finally {
        request.release();
      }
      return;
    }
    ctx.channel().config().setAutoRead(false);
    RequestAttributes attributes = RequestAttributes.of(request.method(), path, kubelet.nodeName());
    access(ctx, request, attributes).whenCompleteAsync((access, failure) -> {
      try {
        if (failure != null) {
          exchange.fail(failure);
        } else if (access.refusal() != null) {
          LOG.debug("kubelet API {} {} refused: {} {}", request.method(), path, access.refusal(), access.message());
          exchange.error(access.refusal(), access.message());
        } else {
          route(exchange, request, uri, endpoint);
        }
      } catch (HttpError | RuntimeException e) {
        exchange.fail(e);
      } finally {
        request.release();
      }
    }, ctx.executor());
  }

  /** The answer is out and the connection is kept: read on, answering what waited. */
  private void answered(ChannelHandlerContext ctx) {
    timeouts.answerSent();
    busy = false;
    while (!busy && !held.isEmpty()) {
      handle(ctx, held.poll());
    }
    if (!busy) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Outcome of authentication and authorization: the user, or the status and message of the refusal. */
  private record Access(HttpResponseStatus refusal, String message) {
    static final Access GRANTED = new Access(null, null);
  }

  private CompletableFuture<Access> access(ChannelHandlerContext ctx, FullHttpRequest request,
      RequestAttributes attributes) {
    return kubelet.authenticator()
        .authenticate(peerChain(ctx), Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)))
        .thenCompose(identity -> {
          if (identity.user().isEmpty()) {
            return CompletableFuture.completedFuture(identity.unavailable()
                ? new Access(HttpResponseStatus.SERVICE_UNAVAILABLE, identity.reason())
                : new Access(HttpResponseStatus.UNAUTHORIZED, "Unauthorized (" + identity.reason() + ")"));
          }
          User user = identity.user().get();
          return kubelet.authorizer().authorize(user, attributes).thenApply(decision -> decision.allowed()
              ? Access.GRANTED
              : decision.unavailable()
                  ? new Access(HttpResponseStatus.SERVICE_UNAVAILABLE, decision.reason())
                  : new Access(HttpResponseStatus.FORBIDDEN, attributes.forbidden(user)));
        });
  }

  private static Optional<X509Certificate[]> peerChain(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain.length == 0 ? Optional.empty()
          : Optional.of(Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new));
    } catch (SSLPeerUnverifiedException noCertificate) {
      return Optional.empty();
    }
  }

  private void route(Exchange exchange, FullHttpRequest request, QueryStringDecoder uri, Endpoint endpoint)
      throws HttpError {
    List<String> rest = endpoint.rest(uri.path());
    QueryParameters query = QueryParameters.parse(uri.rawQuery());
    switch (endpoint) {
      case PODS -> {
        get(request, rest, 0);
        work(exchange, () -> Replies.json(PodListing.pods(kubelet.podsOnNode().get())));
      }
      case RUNNING_PODS -> {
        get(request, rest, 0);
        work(exchange, () -> Replies.json(PodListing.running(kubelet.provider(), kubelet.podsOnNode().get())));
      }
      case CONTAINER_LOGS -> {
        get(request, rest, 3);
        ContainerRef container = ContainerRef.of(rest.get(0), rest.get(1), rest.get(2));
        kubelet.logs().serve(exchange, container, ContainerLogQuery.parse(query));
      }
      case STATS -> {
        if (!rest.equals(List.of("summary"))) {
          throw HttpError.notFound("not found: " + uri.path());
        }
        get(request, rest, 1);
        work(exchange, () -> Replies.json(Metrics.summary(kubelet)));
      }
      case METRICS -> {
        get(request, rest, 1);
        switch (rest.get(0)) {
          case "resource" -> work(exchange, () -> Replies.of(HttpResponseStatus.OK, Replies.PROMETHEUS,
              Metrics.resource(kubelet)));
          case "cadvisor" -> work(exchange, () -> Replies.of(HttpResponseStatus.OK, Replies.PROMETHEUS,
              Metrics.cadvisor(kubelet)));
          default -> throw HttpError.notFound("not found: " + uri.path());
        }
      }
      case EXEC, ATTACH -> streaming.remoteCommand(exchange, request, endpoint == Endpoint.ATTACH, rest, query);
      case PORT_FORWARD -> streaming.portForward(exchange, request, rest);
      default -> throw HttpError.notFound("not found: " + uri.path());
    }
  }

  /** Runs {@code answer} on a worker (provider calls and large JSON never run on the event loop). */
  private void work(Exchange exchange, ThrowingSupplier answer) {
    kubelet.workers().execute(() -> {
      try {
        exchange.respond(answer.get());
      } catch (Exception | Error e) {
        exchange.fail(e);
      }
    });
  }

  interface ThrowingSupplier {
    FullHttpResponse get() throws Exception;
  }

  /** A GET with exactly {@code segments} path segments after the endpoint's own. */
  private static void get(FullHttpRequest request, List<String> rest, int segments) throws HttpError {
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      throw HttpError.methodNotAllowed(request.method().name(), "GET");
    }
    if (rest.size() != segments || rest.stream().anyMatch(String::isEmpty)) {
      throw HttpError.notFound("not found: " + request.uri());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("kubelet API: closing the connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
