package io.vk4j.provider.fake;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerAttach;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodContainers;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodRef;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.PortForward;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider whose pods live in memory: they go Pending, then Running after a start delay, get IPs
 * from a pool, write logs, answer exec and attach, serve port-forward, report usage, and do what
 * their {@link FakeAnnotations} script. Thread-safe; status changes are pushed through {@link PodNotifier}, in order for each pod.
 *
 * <p>Closing the provider stops its timers; it keeps no state anywhere else, so its pods are gone.
 */
public final class FakeProvider
    implements Provider, PodNotifier, ContainerLogs, PodStatsSource, ContainerExec, ContainerAttach, PortForward {

  private static final Logger log = LoggerFactory.getLogger(FakeProvider.class);

  private final FakeProviderOptions options;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final IpPool ipPool;
  private final Random random;
  private final Map<String, PodSimulation> pods = new ConcurrentHashMap<>();
  /** Retryable create failures still to come, per pod UID, for {@link FakeAnnotations#FAIL_CREATE_TIMES}. */
  private final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final PodEventRecorder events;
  private volatile PodStatusListener listener = pod -> { };
  private volatile boolean closed;
  private volatile boolean reachable = true;
  /** Carries the stdin of attach sessions into the containers' logs, one thread per session with stdin. */
  private final ExecutorService attachInput = Executors.newCachedThreadPool(
      new ThreadFactoryBuilder().setNameFormat("fake-provider-attach-%d").setDaemon(true).build());

  public FakeProvider() {
    this(FakeProviderOptions.defaults());
  }

  public FakeProvider(FakeProviderOptions options) {
    this(options, new PodEventRecorder() {
      @Override
      public void normal(V1Pod pod, String reason, String message) {}

      @Override
      public void warning(V1Pod pod, String reason, String message) {}
    });
  }

  /** A provider that records the Events a kubelet would about its containers' images ({@code Pulled}). */
  public FakeProvider(FakeProviderOptions options, PodEventRecorder events) {
    this.options = options;
    this.events = events;
    this.ipPool = IpPool.parse(options.podCidr());
    this.random = new Random(options.seed());
    this.ownsScheduler = options.scheduler().isEmpty();
    this.scheduler = options.scheduler().orElseGet(FakeProvider::newScheduler);
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2,
        new ThreadFactoryBuilder().setNameFormat("fake-provider-%d").setDaemon(true).build());
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  public FakeProviderOptions options() {
    return options;
  }

  @Override
  public void notifyPods(PodStatusListener listener) {
    this.listener = listener;
  }

  @Override
  public void createPod(V1Pod pod) throws ProviderException {
    checkOpen();
    requireValid(pod);
    PodScript script = PodScript.of(pod.getMetadata().getAnnotations());
    String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    String uid = pod.getMetadata().getUid();
    pause(options.createLatency());
    PodSimulation existing = pods.get(key);
    if (existing != null && existing.uid.equals(uid)) {
      return; // a retried call: the pod already runs
    }
    if (script.failCreateReason() != null) {
      throw new InvalidInputException(script.failCreateReason(), script.failCreateMessage() != null
          ? script.failCreateMessage()
          : "the pod asked to fail (annotation " + FakeAnnotations.FAIL_CREATE + ")");
    }
    failScriptedTimes(script, uid);
    failRandomly();
    if (active.incrementAndGet() > options.podCapacity()) {
      active.decrementAndGet();
      throw new RetryableException("OutOfCapacity",
          "the fake backend already runs its capacity of " + options.podCapacity() + " pods");
    }
    Optional<String> ip = ipPool.allocate();
    if (ip.isEmpty()) {
      active.decrementAndGet();
      throw new RetryableException("PodCidrExhausted", "no free pod IP left in " + options.podCidr());
    }
    PodSimulation simulation = new PodSimulation(this, pod, script, ip.get());
    PodSimulation[] replaced = new PodSimulation[1];
    PodSimulation winner = pods.compute(key, (k, current) -> {
      if (current != null && current.uid.equals(uid)) {
        return current;
      }
      replaced[0] = current;
      return simulation;
    });
    if (winner != simulation) {
      release(simulation); // a concurrent retry won
      return;
    }
    if (replaced[0] != null) {
      replaced[0].supersede();
    }
    failuresLeft.remove(uid);
    simulation.start();
  }

  private static void requireValid(V1Pod pod) throws InvalidInputException {
    V1ObjectMeta metadata = pod.getMetadata();
    if (metadata == null || metadata.getNamespace() == null || metadata.getName() == null || metadata.getUid() == null) {
      throw new InvalidInputException("InvalidPod", "the pod has no namespace, name or UID");
    }
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
      throw new InvalidInputException("InvalidPod", "pod " + metadata.getNamespace() + "/" + metadata.getName()
          + " has no containers");
    }
    for (V1Container container : PodContainers.all(pod)) {
      if (container.getName() == null || container.getImage() == null) {
        throw new InvalidInputException("InvalidPod", "pod " + metadata.getNamespace() + "/" + metadata.getName()
            + " has a container without name or image");
      }
    }
  }

  private void failScriptedTimes(PodScript script, String uid) throws RetryableException {
    if (script.failCreateTimes() == 0) {
      return;
    }
    int left = failuresLeft.merge(uid, script.failCreateTimes(), (remaining, ignored) -> remaining - 1);
    if (left > 0) {
      throw new RetryableException("FakeTransientFailure", "scripted transient failure, " + (left - 1)
          + " more to come (annotation " + FakeAnnotations.FAIL_CREATE_TIMES + ")",
          script.failCreateRetryAfter(), null);
    }
  }

  private void failRandomly() throws RetryableException {
    if (options.failureRate() == 0) {
      return;
    }
    boolean fail;
    synchronized (random) {
      fail = random.nextDouble() < options.failureRate();
    }
    if (fail) {
      throw new RetryableException("FakeRandomFailure",
          "random failure (failureRate " + options.failureRate() + ")");
    }
  }

  @Override
  public void updatePod(V1Pod pod) throws ProviderException {
    checkOpen();
    requireValid(pod);
    PodSimulation simulation = pods.get(key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    if (simulation == null || !simulation.uid.equals(pod.getMetadata().getUid())) {
      throw new NotFoundException("no pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
          + " with UID " + pod.getMetadata().getUid());
    }
    simulation.update(pod);
  }

  @Override
  public void deletePod(V1Pod pod) throws ProviderException {
    checkOpen();
    V1ObjectMeta metadata = pod.getMetadata();
    if (metadata == null || metadata.getNamespace() == null || metadata.getName() == null) {
      throw new InvalidInputException("InvalidPod", "the pod to delete has no namespace or name");
    }
    if (metadata.getUid() != null) {
      failuresLeft.remove(metadata.getUid());
    }
    PodSimulation simulation = pods.get(key(metadata.getNamespace(), metadata.getName()));
    if (simulation == null || (metadata.getUid() != null && !simulation.uid.equals(metadata.getUid()))) {
      return; // already gone; a successor of the same name is not this pod
    }
    pause(options.deleteLatency());
    if (simulation.delete(metadata.getDeletionGracePeriodSeconds())) {
      forgetLater(simulation);
    }
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    PodSimulation simulation = pods.get(key(namespace, name));
    return simulation == null ? Optional.empty() : Optional.of(simulation.snapshot());
  }

  @Override
  public List<V1Pod> listPods() {
    List<V1Pod> list = new ArrayList<>(pods.size());
    for (PodSimulation simulation : pods.values()) {
      list.add(simulation.snapshot());
    }
    return list;
  }

  @Override
  public void configureNode(V1Node node) {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", Quantity.fromString(options.cpuCapacity()));
    capacity.put("memory", Quantity.fromString(options.memoryCapacity()));
    capacity.put("pods", new Quantity(String.valueOf(options.podCapacity())));
    capacity.put("ephemeral-storage", Quantity.fromString("1Ti"));
    if (node.getStatus() == null) {
      node.setStatus(new V1NodeStatus());
    }
    node.getStatus().setCapacity(capacity);
    node.getStatus().setAllocatable(new LinkedHashMap<>(capacity));
    String hostname = node.getMetadata() != null && node.getMetadata().getName() != null
        ? node.getMetadata().getName() : "fake";
    node.getStatus().setAddresses(List.of(
        new V1NodeAddress().type("InternalIP").address(options.hostIp()),
        new V1NodeAddress().type("Hostname").address(hostname)));
    V1NodeSystemInfo info = node.getStatus().getNodeInfo() != null ? node.getStatus().getNodeInfo() : new V1NodeSystemInfo();
    node.getStatus().setNodeInfo(info
        .operatingSystem("linux")
        .architecture("amd64")
        .osImage("vk4j fake provider")
        .kernelVersion("fake")
        .containerRuntimeVersion("fake://0.1.0")
        .machineID(info.getMachineID() != null ? info.getMachineID() : "")
        .systemUUID(info.getSystemUUID() != null ? info.getSystemUUID() : "")
        .bootID(info.getBootID() != null ? info.getBootID() : "")
        .kubeletVersion(info.getKubeletVersion() != null ? info.getKubeletVersion() : "")
        .kubeProxyVersion(info.getKubeProxyVersion() != null ? info.getKubeProxyVersion() : ""));
    if (node.getMetadata() != null) {
      Map<String, String> labels = node.getMetadata().getLabels() == null
          ? new HashMap<>() : new HashMap<>(node.getMetadata().getLabels());
      labels.put("kubernetes.io/os", "linux");
      labels.put("kubernetes.io/arch", "amd64");
      node.getMetadata().setLabels(labels);
    }
    if (node.getSpec() == null) {
      node.setSpec(new V1NodeSpec());
    }
    node.getSpec().setPodCIDR(options.podCidr());
    node.getSpec().setPodCIDRs(List.of(options.podCidr()));
  }

  @Override
  public void ping() throws ProviderException {
    checkOpen();
  }

  /**
   * Simulates an outage of the backend: while unreachable, {@link #ping()}, {@link #createPod},
   * {@link #updatePod} and {@link #deletePod} throw a {@link RetryableException} with reason
   * {@code BackendUnreachable}. Pods already running keep running.
   */
  public void setReachable(boolean reachable) {
    this.reachable = reachable;
  }

  @Override
  public InputStream containerLogs(ContainerRef ref, ContainerLogOptions logOptions) throws ProviderException {
    PodSimulation.ContainerView container = container(ref);
    ContainerLog selected = logOptions.previous() ? container.previousLog() : container.log();
    if (selected == null) {
      if (logOptions.previous()) {
        throw new NotFoundException("previous terminated container \"" + ref.containerName() + "\" in pod \""
            + ref.podName() + "\" not found");
      }
      throw new InvalidInputException("ContainerWaiting", "container \"" + ref.containerName() + "\" in pod \""
          + ref.podName() + "\" is waiting to start");
    }
    return LogReader.open(selected, logOptions, options.clock());
  }

  @Override
  public int runInContainer(ContainerRef ref, List<String> command, AttachIO io) throws ProviderException {
    PodSimulation.ContainerView container = container(ref);
    if (container.state() != ContainerSimulation.State.RUNNING) {
      throw new InvalidInputException("ContainerNotRunning", "container " + ref + " is not running");
    }
    if (command.isEmpty()) {
      throw new InvalidInputException("EmptyCommand", "no command to run in " + ref);
    }
    return new ExecShell(container, io.tty()).run(command, io);
  }

  /**
   * Attaches to a running container: what it writes to its log from now on goes to stdout; with
   * stdin, every line sent is written to its log (so it comes back). Ends when the container stops
   * or the client detaches (stdin ends, or the client goes away).
   */
  @Override
  public void attachToContainer(ContainerRef ref, AttachIO io) throws ProviderException {
    PodSimulation.ContainerView container = container(ref);
    if (container.state() != ContainerSimulation.State.RUNNING) {
      throw new InvalidInputException("ContainerNotRunning", "container " + ref + " is not running");
    }
    ContainerLog log = container.log();
    InputStream output = LogReader.open(log, ContainerLogOptions.builder().follow(true).tailLines(0).build(),
        options.clock());
    Future<?> input = io.stdin().map(stdin -> attachInput.submit(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          log.append(instant(), line);
        }
      } catch (IOException e) {
        // the client went away: detach
      } finally {
        detach(output); // stdin over: what was typed still comes back, then the session ends
      }
    })).orElse(null);
    try (output) {
      OutputStream stdout = io.stdout().orElse(OutputStream.nullOutputStream());
      byte[] buffer = new byte[8192];
      for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
        stdout.write(buffer, 0, n);
        stdout.flush();
      }
    } catch (IOException e) {
      // the client went away, or detached
    } finally {
      if (input != null) {
        input.cancel(true);
      }
    }
  }

  /**
   * Serves a forwarded connection with what listens on the port ({@link FakeAnnotations#PORTS}):
   * an echo or a small HTTP server.
   */
  @Override
  public void portForward(PodRef ref, int port, InputStream fromClient, OutputStream toClient)
      throws ProviderException {
    PodSimulation simulation = pods.get(key(ref.namespace(), ref.name()));
    if (simulation == null) {
      throw new NotFoundException("no pod " + ref);
    }
    FakePorts.Kind kind = simulation.listening(port).orElseThrow(() -> new ProviderException("ConnectionRefused",
        "connection refused: nothing listens on port " + port + " in pod " + ref));
    try {
      FakePorts.serve(kind, fromClient, toClient, ref.toString(), port);
    } catch (IOException e) {
      log.debug("port-forward to {} port {} ended: {}", ref, port, e.toString());
    }
  }

  private static void detach(InputStream follower) {
    try {
      LogReader.endAfterWhatIsWritten(follower);
    } catch (IOException e) {
      // closing a follower only wakes it up
    }
  }

  private PodSimulation.ContainerView container(ContainerRef ref) throws NotFoundException {
    PodSimulation simulation = pods.get(key(ref.namespace(), ref.podName()));
    if (simulation == null) {
      throw new NotFoundException("no pod " + ref.namespace() + "/" + ref.podName());
    }
    return simulation.container(ref.containerName())
        .orElseThrow(() -> new NotFoundException("pod " + ref.namespace() + "/" + ref.podName()
            + " has no container " + ref.containerName()));
  }

  @Override
  public List<PodStats> podStats() {
    Instant now = options.clock().instant();
    List<PodStats> stats = new ArrayList<>();
    for (PodSimulation simulation : pods.values()) {
      simulation.stats(now).ifPresent(stats::add);
    }
    return stats;
  }

  /** How many pods the backend holds right now, terminal ones included. */
  public int podCount() {
    return pods.size();
  }

  /** How many pod IPs are free. */
  public int freePodIps() {
    return ipPool.available();
  }

  @Override
  public void close() {
    closed = true;
    for (PodSimulation simulation : pods.values()) {
      simulation.close();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    attachInput.shutdownNow();
  }

  private void checkOpen() throws ProviderException {
    if (closed) {
      throw new ProviderException("ProviderClosed", "the fake provider is closed");
    }
    if (!reachable) {
      throw new RetryableException("BackendUnreachable", "the fake backend is unreachable (setReachable(false))");
    }
  }

  // --- called by the simulations

  OffsetDateTime now() {
    return OffsetDateTime.now(options.clock()).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  Instant instant() {
    return options.clock().instant();
  }

  ScheduledFuture<?> schedule(Runnable step, Duration delay) {
    if (closed) {
      return null;
    }
    Runnable guarded = () -> {
      try {
        step.run();
      } catch (RuntimeException e) {
        log.error("fake pod step failed", e);
      }
    };
    try {
      return scheduler.schedule(guarded, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // closing
    }
  }

  /** The Event a kubelet records before it starts a container whose image it has. */
  void imagePresent(V1Pod pod, String image) {
    events.normal(pod, "Pulled", "Container image \"" + image + "\" already present on machine");
  }

  void notifyStatus(V1Pod pod) {
    try {
      listener.podStatusChanged(pod);
    } catch (RuntimeException e) {
      log.warn("the pod status listener failed for {}/{}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), e);
    }
  }

  /** The pod no longer holds capacity nor its IP. */
  void release(PodSimulation simulation) {
    active.decrementAndGet();
    ipPool.release(simulation.podIp);
  }

  /** Forgets a pod at once, without a word: it vanished from the backend. */
  void vanish(PodSimulation simulation) {
    pods.remove(key(simulation.namespace, simulation.name), simulation);
  }

  /** Forgets a deleted, terminal pod after the retention, unless a successor replaced it. */
  void forgetLater(PodSimulation simulation) {
    Runnable forget = () -> pods.remove(key(simulation.namespace, simulation.name), simulation);
    if (options.deletedPodRetention().isZero() || schedule(forget, options.deletedPodRetention()) == null) {
      forget.run();
    }
  }

  private static void pause(Duration latency) {
    if (!latency.isZero()) {
      LockSupport.parkNanos(latency.toNanos());
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
