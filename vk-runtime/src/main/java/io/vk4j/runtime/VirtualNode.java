package io.vk4j.runtime;

import static java.util.Objects.requireNonNull;

import io.kubernetes.client.openapi.ApiClient;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderException;
import io.vk4j.api.ProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vk4j.api.ClusterPods;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.metrics.ApiRequestMetrics;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import io.vk4j.runtime.internal.sweep.ApiSweepApi;
import io.vk4j.runtime.internal.sweep.ClusterSweeper;
import io.vk4j.runtime.internal.sweep.NodeFate;
import io.vk4j.runtime.internal.sweep.Retirement;
import io.vk4j.runtime.internal.sweep.SweepApi;
import io.vk4j.runtime.internal.event.EventRecorder;
import io.vk4j.runtime.internal.event.WarningEventsOnly;
import io.vk4j.runtime.internal.kubelet.KubeletApiServer;
import io.vk4j.runtime.internal.node.NodeController;
import io.vk4j.runtime.internal.node.NodeSettings;
import io.vk4j.runtime.internal.pod.PodController;
import io.vk4j.runtime.internal.queue.TokenBucket;
import io.vk4j.runtime.internal.resource.ApiClusterResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual node: registers a Node backed by a {@link Provider}, keeps it alive, and runs the
 * pods the API server binds to it in the provider.
 *
 * <pre>{@code
 * VirtualNode node = VirtualNode.builder()
 *     .nodeName("vk-1")
 *     .apiClient(apiClient)
 *     .providerFactory(Providers.byName("fake"))
 *     .build();
 * node.start();
 * node.awaitReady(Duration.ofMinutes(1));
 * ...
 * node.close();   // stops heartbeats and controllers; pods and the Node stay
 * }</pre>
 *
 * Several virtual nodes may run in one JVM: each has its own provider and threads (named after
 * the node) and shares nothing with the others.
 */
public final class VirtualNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VirtualNode.class);
  private static final Clock CLOCK = Clock.systemUTC();
  /** A DNS-1123 subdomain: dot-separated labels of lower case letters, digits and '-'. */
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String nodeName;
  private final ApiClient apiClient;
  private final String providerName;
  private final String defaultTaintValue;
  private final Function<ProviderContext, Provider> providerCreator;
  private final Optional<Path> providerConfig;
  private final Map<String, String> environment;
  private final VirtualNodeOptions options;
  private final PrometheusMeterRegistry registry;
  private final NodeMetrics metrics;

  private Provider provider;
  private SweepApi sweepApi;
  private ClusterSweeper sweeper;
  private EventRecorder events;
  private PodEventRecorder podEvents;
  private NodeController nodeController;
  private PodController podController;
  private KubeletApiServer kubeletApi;
  private CompletableFuture<Void> ready;
  private boolean started;
  private boolean closed;

  private VirtualNode(Builder builder) {
    this.nodeName = builder.nodeName;
    this.apiClient = builder.apiClient;
    this.providerName = builder.providerName;
    this.defaultTaintValue = builder.defaultTaintValue;
    this.providerCreator = builder.providerCreator;
    this.providerConfig = Optional.ofNullable(builder.providerConfig);
    this.environment = builder.environment;
    this.options = builder.options;
    this.registry = builder.registry != null ? builder.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new NodeMetrics(registry, nodeName);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code name} can name a Node: a DNS-1123 subdomain of at most 253 characters. */
  public static boolean isValidNodeName(String name) {
    return name != null && name.length() <= 253 && NODE_NAME.matcher(name).matches();
  }

  /**
   * Creates the provider and starts the node in the background: registration, heartbeats, the pod
   * watch and workers. Returns at once; see {@link #awaitReady}.
   *
   * @throws ProviderException when the provider cannot be created (for example invalid configuration)
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public synchronized void start() throws ProviderException {
    if (started || closed) {
      throw new IllegalStateException("virtual node " + nodeName + " was started or closed already");
    }
    started = true;
    TokenBucket writes = new TokenBucket(options.clientQps(), options.clientBurst());
    ApiRequestMetrics.install(apiClient, registry);
    events = EventRecorder.create(apiClient, "vk4j", nodeName,
        new EventRecorder.Limits(options.eventQueueCapacity(), options.eventQps(), options.eventBurst()), writes, CLOCK);
    events.countInto(metrics);
    podEvents = options.normalPodEvents() ? events : new WarningEventsOnly(events);
    sweepApi = new ApiSweepApi(apiClient, writes, nodeName);
    ApiClusterResources resources = ApiClusterResources.create(apiClient, Duration.ofSeconds(5), Duration.ofSeconds(30), 1024);
    ProviderContext.Builder context = ProviderContext.builder()
        .nodeName(nodeName)
        .configFile(providerConfig)
        .resources(resources)
        .events(podEvents)
        .meterRegistry(registry);
    if (environment != null) {
      context.environment(environment);
    }
    try {
      provider = requireNonNull(providerCreator.apply(context.build()), "the provider factory returned null");
    } catch (ProviderCreationFailure e) {
      events.close();
      throw e.failure;
    } catch (RuntimeException e) {
      events.close();
      throw e;
    }
    try {
      startControllers(writes, resources);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startControllers(TokenBucket writes, ApiClusterResources resources) {
    // the node controller is built first: env resolution needs its allocatable resources
    NodeController[] node = new NodeController[1];
    EnvResolver env = new EnvResolver(resources, () -> node[0].allocatable());
    podController = PodController.create(nodeName, providerName, apiClient, provider, env, podEvents, writes,
        new PodController.Settings(options.podSyncWorkers(), options.fullResyncPeriod(), options.statusPollPeriod(),
            options.retryBaseDelay(), options.retryMaxDelay(), options.progressStatusDelay(),
            options.providerCallTimeout()), CLOCK, metrics);
    int kubeletPort = startKubeletApi();
    node[0] = NodeController.create(apiClient, provider, writes, new NodeSettings(
        nodeName,
        providerName,
        options.taintEnabled()
            ? Optional.of(new NodeSettings.Taint(options.taintKey(), options.taintValue().orElse(defaultTaintValue),
                options.taintEffect()))
            : Optional.empty(),
        options.leaseDuration(),
        options.leaseRenewInterval(),
        options.nodeStatusUpdatePeriod(),
        options.pingInterval(),
        options.pingTimeout(),
        options.recreateDeletedNode(),
        options.internalIp(),
        options.operatingSystem(),
        kubeletPort,
        runtimeVersion(),
        NodeFate.labels(nodeName, options.statefulSetNamespace())), CLOCK, podController::startupProblem);
    nodeController = node[0];
    metrics.gauge("vk4j.node.heartbeat.age", "Time since the node's Lease was last renewed", "seconds",
        nodeController::heartbeatAgeSeconds);
    metrics.gauge("vk4j.node.ready", "1 while the node reports Ready", null,
        () -> nodeController.problem() == null && isReady() ? 1 : 0);
    nodeController.onHeartbeatAccepted(podController::resyncAll);
    podController.onStartupProblemChanged(nodeController::podsProblemChanged);
    nodeController.start();
    // pods are acted on once the node is registered (the provider has described it by then); the
    // node reports Ready once they can run
    ready = nodeController.registered()
        .thenCompose(registered -> {
          podController.start();
          return podController.ready();
        })
        .thenCompose(podsReady -> {
          nodeController.podsReady();
          startSweeper();
          return nodeController.reportedReady();
        });
  }

  /** The cluster sweep, when the provider can list the whole cluster's backend pods. */
  private synchronized void startSweeper() {
    if (closed || !options.clusterSweep() || !(provider instanceof ClusterPods backend)) {
      return;
    }
    sweeper = new ClusterSweeper(backend, sweepApi, new NodeFate(sweepApi, options.statefulSetNamespace()),
        new ClusterSweeper.Settings(nodeName, providerName, options.statefulSetNamespace().orElse("kube-node-lease"),
            options.clusterSweepPeriod(), options.clusterSweepSafetyAge(), options.abandonedNodeAge()),
        metrics, CLOCK);
    sweeper.start();
  }

  /** Starts the kubelet API when configured; returns its port, or 0. */
  private int startKubeletApi() {
    if (options.kubeletApiPort().isEmpty()) {
      return 0;
    }
    String address = options.kubeletApiAddress().orElse(options.internalIp());
    try {
      kubeletApi = KubeletApiServer.start(
          new KubeletApiServer.Address(nodeName, options.internalIp(), address, options.kubeletApiPort().getAsInt()),
          options.kubeletApi(), provider, podController::pods, apiClient,
          new KubeletApiServer.NodeState(this::liveness, this::isReady, registry::scrape));
      return kubeletApi.port();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the kubelet API of node " + nodeName + " on " + address
          + ":" + options.kubeletApiPort().getAsInt(), e);
    }
  }

  /**
   * Waits until the Node is registered, the pod cache has synced, the start-up sweep of the
   * provider's pods is done and the Node reports Ready.
   *
   * @throws TimeoutException saying what is still missing
   */
  public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    CompletableFuture<Void> future;
    synchronized (this) {
      if (!started) {
        throw new IllegalStateException("virtual node " + nodeName + " was not started");
      }
      future = ready;
    }
    try {
      future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("virtual node " + nodeName + " failed to start", e.getCause());
    } catch (TimeoutException e) {
      String why = nodeController.problem() != null ? nodeController.problem()
          : podController.startupProblem() != null ? podController.startupProblem() : "unknown";
      throw new TimeoutException("virtual node " + nodeName + " not ready after " + timeout + ": " + why);
    }
  }

  /** Whether {@link #awaitReady} would return at once. */
  public boolean isReady() {
    CompletableFuture<Void> future = ready;
    return future != null && future.isDone() && !future.isCompletedExceptionally();
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * Why the node is not live, or empty while its controllers run: the Lease and node status threads
   * keep to their periods, and every pod worker and the pod watch run. What the kubelet API's {@code
   * /healthz} answers (a liveness probe restarts a node that is not live).
   */
  public Optional<String> liveness() {
    NodeController node;
    PodController pods;
    synchronized (this) {
      if (closed) {
        return Optional.of("the node is closed");
      }
      node = nodeController;
      pods = podController;
    }
    if (node == null) {
      return Optional.empty();
    }
    String problem = node.liveness();
    if (problem == null && isReady()) {
      problem = pods.liveness();
    }
    return Optional.ofNullable(problem);
  }

  /** The node's metrics and its provider's (what the kubelet API serves on {@code /metrics}). */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /**
   * Stops the node the way a replica that goes away should: when it is gone for good (its
   * StatefulSet, see {@link VirtualNodeOptions#statefulSetNamespace()}, was deleted or scaled below
   * it) it is first retired ({@link #retire()}), so nothing it ran is left behind; otherwise (a
   * rolling restart, an upgrade) it is only closed and its successor adopts its pods.
   *
   * @return whether the node was retired
   */
  public boolean shutdown() throws InterruptedException {
    Optional<String> goneForGood = Optional.empty();
    synchronized (this) {
      if (started && !closed && sweepApi != null) {
        try {
          goneForGood = new NodeFate(sweepApi, options.statefulSetNamespace()).goneForGood(nodeName);
        } catch (io.kubernetes.client.openapi.ApiException e) {
          log.warn("node {}: cannot tell whether it is gone for good, so it is only closed: {}", nodeName,
              io.vk4j.runtime.internal.client.ApiErrors.describe(e));
        }
      }
    }
    if (goneForGood.isPresent()) {
      log.info("node {} is gone for good ({}): retiring it", nodeName, goneForGood.get());
      retire();
      close();
      return true;
    }
    close();
    return false;
  }

  /**
   * Takes the node out of the cluster for good: cordons it, deletes every pod bound to it (their
   * controllers create them again on other nodes), deletes whatever the provider still runs, and
   * deletes the Node, within {@link VirtualNodeOptions#retirementTimeout()}; then the node is
   * closed. What is left after the timeout is deleted by the cluster sweep of another node.
   */
  public void retire() throws InterruptedException {
    Retirement retirement;
    synchronized (this) {
      if (!started || closed) {
        throw new IllegalStateException("virtual node " + nodeName + " is not running");
      }
      closeQuietly(sweeper);
      sweeper = null;
      retirement = new Retirement(nodeName, sweepApi, provider);
    }
    retirement.run(nodeController, podController, options.retirementTimeout());
    close();
  }

  /** The provider, once {@link #start()} has created it. */
  public synchronized Provider provider() {
    if (provider == null) {
      throw new IllegalStateException("virtual node " + nodeName + " was not started");
    }
    return provider;
  }

  /** The port the kubelet API listens on, when it is enabled and started. */
  public synchronized OptionalInt kubeletApiPort() {
    return kubeletApi == null ? OptionalInt.empty() : OptionalInt.of(kubeletApi.port());
  }

  /**
   * Stops heartbeats, controllers and the kubelet API, and closes the provider. Deletes nothing:
   * the Node and the pods stay, and a runtime started again later adopts the pods.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(sweeper);
    closeQuietly(podController);
    closeQuietly(nodeController);
    closeQuietly(kubeletApi);
    closeQuietly(events);
    closeQuietly(provider);
    log.info("virtual node {} stopped", nodeName);
  }

  private void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} of node {} failed", closeable.getClass().getSimpleName(), nodeName, e);
    }
  }

  static String runtimeVersion() {
    try (InputStream in = VirtualNode.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      String version = properties.getProperty("version", "dev");
      return version.startsWith("$") ? "dev" : version;
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Carries a checked failure of a {@link ProviderFactory} through {@link Function#apply}. */
  private static final class ProviderCreationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient ProviderException failure;

    ProviderCreationFailure(ProviderException failure) {
      super(failure);
      this.failure = failure;
    }
  }

  /** Builds a {@link VirtualNode}. Node name, API client and provider are required. */
  public static final class Builder {
    private String nodeName;
    private ApiClient apiClient;
    private String providerName;
    private String defaultTaintValue;
    private Function<ProviderContext, Provider> providerCreator;
    private Path providerConfig;
    private Map<String, String> environment;
    private VirtualNodeOptions options = VirtualNodeOptions.defaults();
    private PrometheusMeterRegistry registry;

    private Builder() {}

    /**
     * Where the node's metrics and its provider's go, for example one registry shared by several
     * nodes of a JVM (every meter is tagged {@code node}); a registry of the node's own by default.
     */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /** The Node's name: a DNS subdomain (lower case letters, digits, '-' and '.'). */
    public Builder nodeName(String nodeName) {
      this.nodeName = nodeName;
      return this;
    }

    public Builder apiClient(ApiClient apiClient) {
      this.apiClient = apiClient;
      return this;
    }

    /** The provider, created by {@code factory} on {@link VirtualNode#start()}. */
    public Builder providerFactory(ProviderFactory factory) {
      requireNonNull(factory, "factory");
      this.providerName = factory.name();
      this.defaultTaintValue = factory.defaultTaintValue();
      this.providerCreator = context -> {
        try {
          return factory.create(context);
        } catch (ProviderException e) {
          throw new ProviderCreationFailure(e);
        }
      };
      return this;
    }

    /** An embedder's own provider, created on {@link VirtualNode#start()}. */
    public Builder provider(String providerName, Function<ProviderContext, Provider> create) {
      this.providerName = requireNonNull(providerName, "providerName");
      this.defaultTaintValue = providerName;
      this.providerCreator = requireNonNull(create, "create");
      return this;
    }

    /** The provider's configuration file, handed to it as {@link ProviderContext#configFile()}. */
    public Builder providerConfig(Path providerConfig) {
      this.providerConfig = providerConfig;
      return this;
    }

    /** The provider's settings from the environment; the process environment by default. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    public Builder options(VirtualNodeOptions options) {
      this.options = requireNonNull(options, "options");
      return this;
    }

    /** @throws IllegalArgumentException naming what is missing or invalid */
    public VirtualNode build() {
      if (!isValidNodeName(nodeName)) {
        throw new IllegalArgumentException("nodeName must be a DNS subdomain (lower case letters, digits, '-', '.'), got: "
            + nodeName);
      }
      if (apiClient == null) {
        throw new IllegalArgumentException("apiClient is required");
      }
      if (providerCreator == null) {
        throw new IllegalArgumentException("a provider is required: providerFactory(...) or provider(name, create)");
      }
      if (providerName == null || providerName.isBlank()) {
        throw new IllegalArgumentException("the provider needs a name");
      }
      return new VirtualNode(this);
    }
  }
}
