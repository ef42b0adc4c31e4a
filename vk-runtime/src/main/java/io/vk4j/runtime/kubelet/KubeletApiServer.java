package io.vk4j.runtime.kubelet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's HTTPS API for one virtual node, which the API server calls for {@code kubectl logs}
 * and metrics-server for usage figures. Served with the JDK's HTTPS server and a self-signed
 * certificate generated at start.
 *
 * <ul>
 *   <li>{@code GET /healthz}
 *   <li>{@code GET /pods}: the pods bound to the node, as the runtime sees them (a PodList)
 *   <li>{@code GET /runningpods/}: the non-terminal pods the provider runs (a PodList)
 *   <li>{@code GET /containerLogs/{namespace}/{pod}/{container}}: with {@code tailLines, follow,
 *       limitBytes, previous, sinceSeconds, sinceTime, timestamps}, from {@link io.vk4j.api.ContainerLogs}
 *   <li>{@code GET /stats/summary} and {@code GET /metrics/resource}: from {@link PodStatsSource}
 *   <li>{@code POST /exec/{namespace}/{pod}/{container}?command=...}: a vk4j-specific,
 *       non-interactive exec from {@link io.vk4j.api.ContainerExec}; interactive exec and attach
 *       (SPDY or websocket upgrades) are not served
 * </ul>
 *
 * Errors are plain text with the kubelet's status codes: 400 for a malformed request or
 * {@link InvalidInputException}, 404 for an unknown path or {@link NotFoundException}, 501 when the
 * provider lacks the capability, 500 for any other failure. No authentication: any client that
 * reaches the port may read logs and pods, so bind it where only the API server can reach it.
 */
public final class KubeletApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletApiServer.class);
  /** Requests served at once; followed logs hold one each. Beyond it: 503. */
  private static final int MAX_CONCURRENT_REQUESTS = 256;
  private static final AtomicInteger SERVER_COUNT = new AtomicInteger();

  private final Provider provider;
  private final Supplier<List<V1Pod>> podsOnNode;
  private final Instant startTime = Instant.now();
  private final Semaphore requestSlots = new Semaphore(MAX_CONCURRENT_REQUESTS);
  private final ContainerLogsEndpoint logs;
  private final ExecEndpoint exec;
  private final ExecutorService executor;
  private final HttpsServer server;

  private KubeletApiServer(Provider provider, Supplier<List<V1Pod>> podsOnNode, InetSocketAddress bind)
      throws IOException {
    this.provider = provider;
    this.podsOnNode = podsOnNode;
    this.logs = new ContainerLogsEndpoint(provider);
    this.exec = new ExecEndpoint(provider);
    int serverNumber = SERVER_COUNT.incrementAndGet();
    AtomicInteger threadCount = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task,
          "vk4j-kubelet-api-" + serverNumber + "-" + threadCount.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpsServer.create(bind, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.serverContext("vk4j-kubelet",
        bind.getAddress() == null ? List.of() : List.of(bind.getAddress()))));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts serving on {@code bind} (port 0 picks a free port, see {@link #port()}).
   *
   * @param provider the node's provider; its optional capabilities decide which endpoints work
   * @param podsOnNode the pods bound to the node, from the runtime's cache (never blocks on the API)
   * @throws IOException when the address cannot be bound
   */
  public static KubeletApiServer start(
      Provider provider, Supplier<List<V1Pod>> podsOnNode, InetSocketAddress bind) throws IOException {
    KubeletApiServer api = new KubeletApiServer(
        Objects.requireNonNull(provider, "provider"),
        Objects.requireNonNull(podsOnNode, "podsOnNode"),
        Objects.requireNonNull(bind, "bind"));
    api.server.start();
    log.info("kubelet API listening on https://{}:{}", bind.getHostString(), api.port());
    return api;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening and ends the requests in progress, followed logs included. */
  @Override
  public void close() {
    logs.closeAll();
    server.stop(0);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("kubelet API requests still running after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) {
    if (!requestSlots.tryAcquire()) {
      respondQuietly(exchange, 503, "too many concurrent requests");
      exchange.close();
      return;
    }
    try {
      route(exchange);
    } catch (HttpError e) {
      respondQuietly(exchange, e.status(), e.getMessage());
    } catch (NotFoundException e) {
      respondQuietly(exchange, HttpError.NOT_FOUND, e.getMessage());
    } catch (InvalidInputException e) {
      respondQuietly(exchange, HttpError.BAD_REQUEST, e.reason() + ": " + e.getMessage());
    } catch (ProviderException e) {
      log.warn("kubelet API {} {}: provider failed: {}", exchange.getRequestMethod(),
          exchange.getRequestURI(), e.toString());
      respondQuietly(exchange, HttpError.INTERNAL_ERROR, e.reason() + ": " + e.getMessage());
    } catch (IOException e) {
      // the client went away mid-response; nothing to tell it
      log.debug("kubelet API {}: {}", exchange.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      log.warn("kubelet API {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      respondQuietly(exchange, HttpError.INTERNAL_ERROR, "internal error: " + e);
    } finally {
      exchange.close();
      requestSlots.release();
    }
  }

  private void route(HttpExchange exchange) throws HttpError, ProviderException, IOException {
    List<String> path = segments(exchange.getRequestURI().getPath());
    String first = path.isEmpty() ? "" : path.get(0);
    List<String> rest = path.isEmpty() ? List.of() : path.subList(1, path.size());
    switch (first) {
      case "healthz" -> {
        requireMethod(exchange, "GET");
        requireNoMore(rest);
        Exchanges.send(exchange, 200, Exchanges.TEXT, "ok");
      }
      case "pods" -> {
        requireMethod(exchange, "GET");
        requireNoMore(rest);
        Exchanges.sendJson(exchange, podList(podsOnNode.get()));
      }
      case "runningpods" -> {
        requireMethod(exchange, "GET");
        requireNoMore(rest);
        Exchanges.sendJson(exchange, podList(provider.listPods().stream()
            .filter(KubeletApiServer::notTerminal).toList()));
      }
      case "containerLogs" -> {
        requireMethod(exchange, "GET");
        logs.serve(exchange, rest);
      }
      case "exec" -> exec.serve(exchange, rest);
      case "stats" -> {
        requireMethod(exchange, "GET");
        if (!rest.equals(List.of("summary"))) {
          throw HttpError.notFound("not found: " + exchange.getRequestURI().getPath());
        }
        List<V1Pod> pods = podsOnNode.get();
        Exchanges.send(exchange, 200, Exchanges.JSON_TYPE,
            StatsSummary.of(nodeName(pods), startTime, podStats(), new PodIndex(pods)).toString());
      }
      case "metrics" -> {
        requireMethod(exchange, "GET");
        if (!rest.equals(List.of("resource"))) {
          throw HttpError.notFound("not found: " + exchange.getRequestURI().getPath());
        }
        serveResourceMetrics(exchange);
      }
      default -> throw HttpError.notFound("not found: " + exchange.getRequestURI().getPath());
    }
  }

  private void serveResourceMetrics(HttpExchange exchange) throws HttpError, IOException {
    List<PodStats> stats;
    boolean failed = false;
    try {
      stats = podStats();
    } catch (ProviderException e) {
      // like the kubelet: still a scrape, flagged with scrape_error 1
      log.warn("kubelet API /metrics/resource: provider failed: {}", e.toString());
      stats = List.of();
      failed = true;
    }
    Exchanges.send(exchange, 200, Exchanges.PROMETHEUS_TEXT,
        ResourceMetrics.of(stats, new PodIndex(podsOnNode.get()), failed));
  }

  private List<PodStats> podStats() throws HttpError, ProviderException {
    if (!(provider instanceof PodStatsSource source)) {
      throw HttpError.notImplemented("the provider does not report pod statistics");
    }
    List<PodStats> stats = source.podStats();
    return stats == null ? List.of() : stats;
  }

  private static V1PodList podList(List<V1Pod> pods) {
    return new V1PodList().apiVersion("v1").kind("PodList").metadata(new V1ListMeta()).items(pods);
  }

  private static boolean notTerminal(V1Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** The node's name as its pods know it; this server is not told the name itself. */
  private static String nodeName(List<V1Pod> pods) {
    return pods.stream()
        .map(p -> p.getSpec() == null ? null : p.getSpec().getNodeName())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse("");
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path == null ? new String[0] : path.split("/"))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static void requireMethod(HttpExchange exchange, String method) throws HttpError {
    if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      throw new HttpError(HttpError.METHOD_NOT_ALLOWED, exchange.getRequestMethod() + " not allowed; use " + method);
    }
  }

  private static void requireNoMore(List<String> rest) throws HttpError {
    if (!rest.isEmpty()) {
      throw HttpError.notFound("not found: " + String.join("/", rest));
    }
  }

  private static void respondQuietly(HttpExchange exchange, int status, String message) {
    if (Exchanges.responseStarted(exchange)) {
      return; // mid-stream: closing the exchange is all that is left
    }
    try {
      Exchanges.send(exchange, status, Exchanges.TEXT, message + "\n");
    } catch (IOException e) {
      log.debug("kubelet API: cannot send {} to {}: {}", status, exchange.getRemoteAddress(), e.toString());
    }
  }
}
