package io.vk4j.examples.bench;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodIP;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.KubernetesJson;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runtime benchmark of issue 3 §8, run by {@code scripts/benchmark.sh [N]} (see
 * docs/benchmark.md). In one JVM, against a real API server:
 *
 * <ol>
 *   <li>the floor: N pods created already bound to a dummy node, and their N status writes to
 *       Running done by a bare client loop, with the same concurrency;
 *   <li>the runtime: N pods created bound to a virtual node with the in-memory provider, until
 *       every one is Running in the API; then a quiet window with nothing changing; then all of them
 *       deleted. Every API request of the runtime goes through a counting interceptor, and its heap
 *       is measured in this same JVM before and with the N pods.
 * </ol>
 */
public final class RuntimeBenchmark {
  private static final String IMAGE = "nginx";

  private final int pods;
  private final int concurrency;
  private final int workers;
  private final Duration quietWindow;
  private final Duration timeout;
  private final Path kubeconfig;
  private final String suffix = Long.toString(new Random().nextLong() & 0xfffffL, 36);
  private final ApiClient client;
  private final CoreV1Api core;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> nodes = new ArrayList<>();

  private RuntimeBenchmark(int pods, int concurrency, int workers, Duration quietWindow, Duration timeout,
      Path kubeconfig) throws IOException {
    this.pods = pods;
    this.concurrency = concurrency;
    this.workers = workers;
    this.quietWindow = quietWindow;
    this.timeout = timeout;
    this.kubeconfig = kubeconfig;
    this.client = client(kubeconfig, null);
    this.core = new CoreV1Api(client);
  }

  /** {@code RuntimeBenchmark KUBECONFIG [N] [--concurrency C] [--workers W] [--quiet-seconds S]} */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: RuntimeBenchmark KUBECONFIG [N] [--concurrency C] [--workers W] [--quiet-seconds S]");
      System.exit(2);
    }
    Path kubeconfig = Path.of(args[0]);
    int n = 3000;
    int concurrency = 32;
    int workers = 10;
    int quietSeconds = 60;
    try {
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
          case "--workers" -> workers = Integer.parseInt(args[++i]);
          case "--quiet-seconds" -> quietSeconds = Integer.parseInt(args[++i]);
          default -> n = Integer.parseInt(args[i]);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      System.err.println("usage: scripts/benchmark.sh [N] [--concurrency C] [--workers W] [--quiet-seconds S]");
      System.exit(2);
    }
    KubernetesJson.omitEmptyCollections(); // what Go clients send; see the class
    RuntimeBenchmark benchmark = new RuntimeBenchmark(n, concurrency, workers,
        Duration.ofSeconds(quietSeconds), Duration.ofMinutes(15), kubeconfig);
    int status;
    try {
      status = benchmark.run();
    } finally {
      benchmark.cleanUp();
    }
    System.exit(status);
  }

  private int run() throws Exception {
    System.out.printf("vk4j runtime benchmark: N=%d pods, create concurrency %d, pod sync workers %d%n%n",
        pods, concurrency, workers);
    log("warm-up: %d pods through the floor loop", Math.min(300, pods));
    floor(Math.min(300, pods), "warm");
    log("floor: %d pods created bound, statuses written by a bare client loop", pods);
    PhaseResult floor = floor(pods, "floor");
    log("floor done in %.1f s", floor.seconds());
    RuntimeResult runtime = runtime();
    report(floor, runtime);
    return runtime.phase.complete() && floor.complete() ? 0 : 1;
  }

  // ---------------------------------------------------------------- floor

  private PhaseResult floor(int count, String name) throws Exception {
    String namespace = namespace("bench-" + name);
    String node = "bench-dummy-" + name + "-" + suffix;
    core.createNode(new V1Node().metadata(new V1ObjectMeta().name(node)
        .putLabelsItem("vk4j.io/benchmark", "dummy"))).execute();
    nodes.add(node);
    ExecutorService writers = Executors.newFixedThreadPool(concurrency);
    try (PodPhaseWatch watch = new PodPhaseWatch(client, namespace)) {
      Map<String, Long> createdAt = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      createPods(namespace, node, count, createdAt, created -> writers.submit(() -> {
        retrying(() -> core.replaceNamespacedPodStatus(created.getMetadata().getName(), namespace,
            created.status(runningStatus(created))).execute());
        return null;
      }));
      boolean complete = watch.awaitRunning(count, timeout);
      long end = System.nanoTime();
      PhaseResult result = new PhaseResult(count, complete, start, end, latencies(createdAt, watch.runningAt()));
      deleteAll(namespace, 0);
      watch.awaitDeleted(count, timeout);
      return result;
    } finally {
      writers.shutdownNow();
    }
  }

  /** What a kubelet reports for a started pod with one container. */
  private static V1PodStatus runningStatus(V1Pod pod) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    V1PodStatus status = new V1PodStatus().phase("Running").hostIP("127.0.0.1").podIP("10.1.0.1")
        .addPodIPsItem(new V1PodIP().ip("10.1.0.1")).startTime(now);
    for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
      status.addConditionsItem(new V1PodCondition().type(type).status("True").lastTransitionTime(now));
    }
    for (V1Container container : pod.getSpec().getContainers()) {
      status.addContainerStatusesItem(new V1ContainerStatus().name(container.getName()).image(container.getImage())
          .imageID("bench://" + container.getImage()).containerID("bench://" + pod.getMetadata().getUid())
          .ready(true).started(true).restartCount(0)
          .state(new V1ContainerState().running(new V1ContainerStateRunning().startedAt(now))));
    }
    return status;
  }

  // ---------------------------------------------------------------- runtime

  private RuntimeResult runtime() throws Exception {
    String node = "bench-vk-" + suffix;
    nodes.add(node);
    RequestCounter counter = new RequestCounter();
    ApiClient runtimeClient = client(kubeconfig, counter);
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("VK4J_FAKE_START_DELAY", "0s"); // the provider adds no time: the runtime is measured
    environment.put("VK4J_FAKE_POD_CAPACITY", Integer.toString(Math.max(pods, 110)));
    VirtualNode virtualNode = VirtualNode.builder()
        .nodeName(node)
        .apiClient(runtimeClient)
        .providerFactory(new FakeProviderFactory())
        .environment(environment)
        .options(VirtualNodeOptions.builder().podSyncWorkers(workers).kubeletApiPort(0).build())
        .build();
    String namespace = namespace("bench-rt");
    try (PodPhaseWatch watch = new PodPhaseWatch(client, namespace)) {
      virtualNode.start();
      virtualNode.awaitReady(Duration.ofMinutes(2));
      log("runtime: node %s Ready", node);
      long heapBefore = usedHeapAfterGc();

      Map<String, Long> beforeCreate = counter.snapshot();
      Map<String, Long> createdAt = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      createPods(namespace, node, pods, createdAt, created -> { });
      boolean complete = watch.awaitRunning(pods, timeout);
      long end = System.nanoTime();
      PhaseResult phase = new PhaseResult(pods, complete, start, end, latencies(createdAt, watch.runningAt()));
      log("runtime: %d of %d pods Running after %.1f s", watch.runningCount(), pods, phase.seconds());
      Map<String, Long> afterRunning = settle(counter); // late writes (events...) belong to this phase

      log("runtime: quiet window of %d s, nothing changing", quietWindow.toSeconds());
      Thread.sleep(quietWindow.toMillis());
      Map<String, Long> afterQuiet = counter.snapshot();
      long heapWithPods = usedHeapAfterGc();

      log("runtime: deleting the %d pods (graceful)", pods);
      Map<String, Long> beforeDelete = counter.snapshot();
      deleteAll(namespace, null);
      boolean deletedAll = watch.awaitDeleted(pods, timeout);
      Map<String, Long> afterDelete = settle(counter);
      log("runtime: %d of %d pods gone", watch.deletedCount(), pods);

      return new RuntimeResult(phase.withComplete(complete && deletedAll),
          RequestCounter.difference(afterRunning, beforeCreate),
          RequestCounter.difference(afterQuiet, afterRunning),
          RequestCounter.difference(afterDelete, beforeDelete),
          heapBefore, heapWithPods);
    } finally {
      virtualNode.close();
    }
  }

  // ---------------------------------------------------------------- report

  private void report(PhaseResult floor, RuntimeResult runtime) {
    PhaseResult rt = runtime.phase;
    Map<String, Long> lifecycle = new HashMap<>(runtime.toRunning);
    runtime.deletion.forEach((k, v) -> lifecycle.merge(k, v, Long::sum));
    double minutes = quietWindow.toMillis() / 60_000.0;
    long podWrites = RequestCounter.total(lifecycle, k -> RequestCounter.isPod(k) && RequestCounter.isWrite(k));
    long eventWrites = RequestCounter.total(lifecycle, k -> RequestCounter.isWrite(k) && k.endsWith(" events"));
    long reads = RequestCounter.total(lifecycle, k -> !RequestCounter.isWrite(k));
    long quietPodWrites = RequestCounter.total(runtime.quiet,
        k -> RequestCounter.isPod(k) && RequestCounter.isWrite(k));
    long quietAll = RequestCounter.total(runtime.quiet, k -> true);
    double heapPerPod = (runtime.heapWithPods - runtime.heapBefore) / (double) pods;

    System.out.println();
    System.out.printf("%-52s %12s %12s%n", "", "runtime", "floor");
    System.out.printf("%-52s %11.1fs %11.1fs   ratio %.2f (target <= 1.5)%n", "time until all " + pods + " pods Running",
        rt.seconds(), floor.seconds(), rt.seconds() / floor.seconds());
    System.out.printf("%-52s %10dms %10dms%n", "binding -> Running in the API, p50", rt.percentile(50),
        floor.percentile(50));
    System.out.printf("%-52s %10dms %10dms%n", "binding -> Running in the API, p99", rt.percentile(99),
        floor.percentile(99));
    System.out.println();
    System.out.printf("API requests of the runtime per pod lifecycle (create -> Running -> delete), counted:%n");
    System.out.printf("  writes %.2f per pod (target <= 3): pods and pods/status %.2f, events %.2f;"
        + " reads %.2f per pod%n", (podWrites + eventWrites) / (double) pods, podWrites / (double) pods,
        eventWrites / (double) pods, reads / (double) pods);
    System.out.printf("  create -> Running: %s%n", runtime.toRunning);
    System.out.printf("  deletion:          %s%n", runtime.deletion);
    System.out.printf("API requests per minute with all pods Running and nothing changing (%d s window):%n",
        quietWindow.toSeconds());
    System.out.printf("  %.1f/min; pod writes %d (target 0), event writes %d: %s%n", quietAll / minutes,
        quietPodWrites, RequestCounter.total(runtime.quiet, k -> RequestCounter.isWrite(k) && k.endsWith(" events")),
        perMinute(runtime.quiet, minutes));
    System.out.printf("Heap in use (after GC, this JVM: runtime + fake provider + benchmark bookkeeping):%n");
    System.out.printf("  %.1f MB with no pods, %.1f MB with %d pods: %.1f KB per pod (target < 30 KB)%n",
        runtime.heapBefore / 1e6, runtime.heapWithPods / 1e6, pods, heapPerPod / 1024);
    if (!rt.complete() || !floor.complete()) {
      System.out.println("INCOMPLETE: not every pod reached Running (or was deleted) within " + timeout);
    }
  }

  private static Map<String, String> perMinute(Map<String, Long> counts, double minutes) {
    Map<String, String> result = new java.util.TreeMap<>();
    counts.forEach((k, v) -> result.put(k, String.format(Locale.ROOT, "%.1f", v / minutes)));
    return result;
  }

  // ---------------------------------------------------------------- helpers

  /** Creates {@code count} pods bound to {@code node} with {@code concurrency} threads. */
  private void createPods(String namespace, String node, int count, Map<String, Long> createdAt,
      Consumer<V1Pod> afterCreate) throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = String.format("pod-%05d", i);
        futures.add(creators.submit(() -> {
          V1Pod created = retrying(() -> core.createNamespacedPod(namespace, pod(name, node)).execute());
          createdAt.put(name, System.nanoTime());
          afterCreate.accept(created);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      creators.shutdown();
    }
  }

  private static V1Pod pod(String name, String node) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).putLabelsItem("app", "bench"))
        .spec(new V1PodSpec()
            .nodeName(node)
            .automountServiceAccountToken(false) // no token secret needed (none without a controller manager)
            .addContainersItem(new V1Container().name("app").image(IMAGE))
            .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))
            // the dummy node never reports Ready: keep its pods from being evicted during the run
            .addTolerationsItem(new V1Toleration().key("node.kubernetes.io/unreachable").operator("Exists"))
            .addTolerationsItem(new V1Toleration().key("node.kubernetes.io/not-ready").operator("Exists")));
  }

  private interface ApiCall<T> {
    T call() throws ApiException;
  }

  /** Retries throttling, server errors and connection failures a few times. */
  private static <T> T retrying(ApiCall<T> call) throws ApiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (ApiException e) {
        boolean transientFailure = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
        if (!transientFailure || attempt >= 10) {
          throw e;
        }
        Thread.sleep(50L * attempt);
      }
    }
  }

  /**
   * Deletes every pod of the namespace ({@code gracePeriodSeconds} null: each pod's own). The API
   * server stops a large deletecollection when it outlasts its request timeout (504, or 500
   * "context deadline exceeded"), so it is sent again until one completes.
   */
  private void deleteAll(String namespace, Integer gracePeriodSeconds) throws ApiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        core.deleteCollectionNamespacedPod(namespace).gracePeriodSeconds(gracePeriodSeconds).execute();
        return;
      } catch (ApiException e) {
        boolean timedOut = e.getCode() == 504 || e.getCode() == 500 || e.getCode() == 429 || e.getCode() == 0;
        if (!timedOut || attempt >= 20) {
          throw e;
        }
        log("deletecollection failed (HTTP %d, attempt %d), sending it again", e.getCode(), attempt);
      }
    }
  }

  private static List<Long> latencies(Map<String, Long> createdAt, Map<String, Long> runningAt) {
    List<Long> millis = new ArrayList<>();
    createdAt.forEach((name, created) -> {
      Long running = runningAt.get(name);
      if (running != null) {
        millis.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(running - created)));
      }
    });
    millis.sort(null);
    return millis;
  }

  private String namespace(String prefix) throws Exception {
    String name = prefix + "-" + suffix;
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    namespaces.add(name);
    // pods need the namespace's default service account; without a controller manager (the
    // benchmark's private control plane) nobody else creates it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        core.readNamespacedServiceAccount("default", name).execute();
        return name;
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    core.createNamespacedServiceAccount(name, new V1ServiceAccount().metadata(new V1ObjectMeta().name("default")))
        .execute();
    return name;
  }

  /**
   * Waits until the runtime has sent no pod or event write for 5 s (at most 5 min), so that writes
   * it queued during a phase are counted in that phase, and returns the counts then.
   */
  private static Map<String, Long> settle(RequestCounter counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Map<String, Long> last = counter.snapshot();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      Map<String, Long> now = counter.snapshot();
      boolean wrote = RequestCounter.total(RequestCounter.difference(now, last),
          k -> RequestCounter.isWrite(k) && (RequestCounter.isPod(k) || k.endsWith(" events"))) > 0;
      last = now;
      if (wrote) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= TimeUnit.SECONDS.toNanos(5)) {
        break;
      }
    }
    return last;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static ApiClient client(Path kubeconfig, RequestCounter counter) throws IOException {
    try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      config.setFile(kubeconfig.toFile());
      ApiClient apiClient = ClientBuilder.kubeconfig(config).build();
      okhttp3.OkHttpClient.Builder http = apiClient.getHttpClient().newBuilder().readTimeout(5, TimeUnit.MINUTES);
      okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
      dispatcher.setMaxRequests(256);
      dispatcher.setMaxRequestsPerHost(256);
      http.dispatcher(dispatcher);
      if (counter != null) {
        http.addInterceptor(counter);
      }
      apiClient.setHttpClient(http.build());
      return apiClient;
    }
  }

  private void cleanUp() {
    for (String namespace : namespaces) {
      try {
        core.deleteNamespace(namespace).execute();
      } catch (ApiException e) {
        System.err.println("cannot delete namespace " + namespace + ": " + e.getCode());
      }
    }
    for (String node : nodes) {
      try {
        core.deleteNode(node).execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          System.err.println("cannot delete node " + node + ": " + e.getCode());
        }
      }
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }

  private record PhaseResult(int count, boolean complete, long startNanos, long endNanos, List<Long> latencyMillis) {
    double seconds() {
      return (endNanos - startNanos) / 1e9;
    }

    long percentile(int p) {
      if (latencyMillis.isEmpty()) {
        return -1;
      }
      int index = (int) Math.ceil(p / 100.0 * latencyMillis.size()) - 1;
      return latencyMillis.get(Math.max(0, Math.min(index, latencyMillis.size() - 1)));
    }

    PhaseResult withComplete(boolean value) {
      return new PhaseResult(count, value, startNanos, endNanos, latencyMillis);
    }
  }

  private record RuntimeResult(PhaseResult phase, Map<String, Long> toRunning, Map<String, Long> quiet,
      Map<String, Long> deletion, long heapBefore, long heapWithPods) {}
}
