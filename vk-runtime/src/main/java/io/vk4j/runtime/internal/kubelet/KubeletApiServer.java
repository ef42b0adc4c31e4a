package io.vk4j.runtime.internal.kubelet;

import com.google.common.base.Ticker;
import com.google.common.net.InetAddresses;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vk4j.api.Provider;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.server.ConnectionTimeouts;
import io.vk4j.server.FileWatcher;
import io.vk4j.server.HttpsServer;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import io.vk4j.server.ServerLimits;
import io.vk4j.server.ServerTls;
import io.vk4j.server.Workers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTPS API of one virtual node: what the API server calls for {@code kubectl logs},
 * {@code exec}, {@code attach} and {@code port-forward}, and what metrics-server and Prometheus
 * scrape. Every request but {@code GET /healthz} is authenticated (client certificate or bearer
 * token) and authorized with a SubjectAccessReview, as {@link KubeletApiOptions} describes.
 *
 * <ul>
 *   <li>{@code GET /pods}, {@code GET /runningpods/}: pods as the API server has them
 *   <li>{@code GET /containerLogs/{namespace}/{pod}/{container}}: streamed, {@code follow} included
 *   <li>{@code GET /stats/summary}, {@code /metrics/resource}, {@code /metrics/cadvisor}
 *   <li>{@code /exec/...}, {@code /attach/...}, {@code /portForward/...}: SPDY/3.1 or WebSocket
 * </ul>
 */
public final class KubeletApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletApiServer.class);
  private static final int WORKERS = 4;
  private static final int WORKER_QUEUE = 256;
  private static final Duration FILE_RELOAD_INTERVAL = Duration.ofSeconds(2);

  /** Where the node's kubelet API listens and which names its self-issued certificate carries. */
  public record Address(String nodeName, String internalIp, String bindAddress, int port) {}

  private final HttpsServer server;
  private final ExecutorService reviewWorkers;
  private final ExecutorService workers;
  private final StreamSlots streams;
  private final LogStreamer logs;
  private final FileWatcher watcher;

  private KubeletApiServer(HttpsServer server, ExecutorService reviewWorkers, ExecutorService workers,
      StreamSlots streams, LogStreamer logs, FileWatcher watcher) {
    this.server = server;
    this.reviewWorkers = reviewWorkers;
    this.workers = workers;
    this.streams = streams;
    this.logs = logs;
    this.watcher = watcher;
  }

  /**
   * Starts serving.
   *
   * @param podsOnNode the pods bound to the node, from the runtime's cache (never blocks on the API)
   * @param apiClient for TokenReviews and SubjectAccessReviews
   * @throws IOException when the address cannot be bound or a certificate file cannot be used
   */
  public static KubeletApiServer start(Address address, KubeletApiOptions options, Provider provider,
      Supplier<List<V1Pod>> podsOnNode, ApiClient apiClient) throws IOException {
    return start(address, options, provider, podsOnNode, new ApiReviews(Objects.requireNonNull(apiClient, "apiClient")),
        Ticker.systemTicker());
  }

  /** With the reviews (and the clock of their caches) given: tests use their own. */
  static KubeletApiServer start(Address address, KubeletApiOptions options, Provider provider,
      Supplier<List<V1Pod>> podsOnNode, Reviews reviews, Ticker ticker) throws IOException {
    FileWatcher watcher = new FileWatcher(FILE_RELOAD_INTERVAL);
    String name = "vk4j-kubelet-" + address.nodeName();
    ExecutorService reviewWorkers = Workers.bounded(name + "-auth", WORKERS, WORKER_QUEUE);
    ExecutorService workers = Workers.bounded(name + "-worker", WORKERS, WORKER_QUEUE);
    StreamSlots streams = new StreamSlots(name + "-stream", options.maxStreams());
    try {
      ReloadingKeyManager keys = servingKeys(address, options, watcher);
      Optional<ClientCertificates> clientCas = options.clientCaFile().isPresent()
          ? Optional.of(ClientCertificates.fromFile(options.clientCaFile().get(), watcher))
          : Optional.empty();
      ServerTls tls = ServerTls.requestingClientCertificates(keys,
          () -> clientCas.map(ClientCertificates::authorities).orElse(List.of()));
      LogStreamer logs = new LogStreamer(provider, workers, streams);
      Kubelet kubelet = new Kubelet(address.nodeName(), Instant.now(), options, provider, podsOnNode,
          new Authenticator(clientCas, reviews, options.anonymousAuth(), reviewWorkers, ticker),
          new Authorizer(reviews, reviewWorkers, ticker),
          workers, streams, logs);
      HttpsServer server = HttpsServer.start(name, ServerLimits.builder()
          .bindAddress(address.bindAddress())
          .port(address.port())
          .ioThreads(1)
          .maxConnections(options.maxConnections())
          .handshakeTimeout(options.requestTimeout())
          .requestTimeout(options.requestTimeout())
          .idleTimeout(options.idleTimeout())
          .build(), tls, new Application(kubelet));
      LOG.info("kubelet API of node {} listening on https://{}:{} (client certificates: {}, anonymous: {})",
          address.nodeName(), address.bindAddress(), server.port(),
          options.clientCaFile().map(Object::toString).orElse("none"), options.anonymousAuth());
      return new KubeletApiServer(server, reviewWorkers, workers, streams, logs, watcher);
    } catch (IOException | RuntimeException e) {
      watcher.close();
      reviewWorkers.shutdownNow();
      workers.shutdownNow();
      streams.close();
      throw e;
    }
  }

  private static ReloadingKeyManager servingKeys(Address address, KubeletApiOptions options, FileWatcher watcher)
      throws IOException {
    if (options.tlsCertFile().isPresent()) {
      return ReloadingKeyManager.fromFiles(options.tlsCertFile().get(), options.tlsPrivateKeyFile().orElseThrow(),
          watcher);
    }
    // like a kubelet without --tls-cert-file: a certificate of its own for the node's name and address
    Set<String> dns = new LinkedHashSet<>();
    Set<String> ips = new LinkedHashSet<>();
    for (String name : List.of(address.nodeName(), address.internalIp(), address.bindAddress(), "localhost",
        "127.0.0.1")) {
      if (InetAddresses.isInetAddress(name)) {
        if (!InetAddresses.forString(name).isAnyLocalAddress()) {
          ips.add(name);
        }
      } else if (name.matches("[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?")) {
        dns.add(name);
      }
    }
    return new ReloadingKeyManager(SelfSignedCertificates.issue(address.nodeName(), new ArrayList<>(dns),
        new ArrayList<>(ips)).serving());
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** Stops listening and ends every connection, followed logs and streaming sessions included. */
  @Override
  public void close() {
    logs.closeAll();
    server.close();
    streams.close();
    workers.shutdownNow();
    reviewWorkers.shutdownNow();
    watcher.close();
  }

  /** Each connection: the writability tracker, then the kubelet's request handler. */
  private static final class Application implements HttpsServer.Application {
    private final Kubelet kubelet;
    private final Streaming streaming;

    Application(Kubelet kubelet) {
      this.kubelet = kubelet;
      this.streaming = new Streaming(kubelet);
    }

    @Override
    public void addHandlers(ChannelPipeline pipeline, ConnectionTimeouts timeouts) {
      pipeline.addLast("writability", new Writability(pipeline.channel()));
      pipeline.addLast("kubelet", new KubeletHandler(kubelet, timeouts, streaming));
    }

    @Override
    public FullHttpResponse error(HttpResponseStatus status, String message) {
      return Replies.text(status, message);
    }
  }
}
