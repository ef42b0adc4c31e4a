package io.vk4j.examples.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.vk4j.testkit.cluster.KubernetesJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The node benchmark (docs/benchmark.md), run by {@code scripts/benchmark.sh}: for each scenario
 * ({@link Scenario}) and run, fresh node processes started as users run them (the shipped jar, the
 * StatefulSet's JVM options), pods created bound to them by this one client, and the nodes measured
 * from the outside: CPU and memory from {@code /proc} and {@code jcmd}, requests at the API server.
 * Runs of different scenarios are interleaved, so that a change in the machine's load spreads over
 * all of them.
 */
public final class NodeBenchmark {
  private static final String IMAGE = "nginx";
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration QUIET = Duration.ofSeconds(6);

  private final Options options;
  private final String suffix = Long.toString(new Random().nextLong() & 0xfffL, 36);
  private final RequestCounter own = new RequestCounter();
  private final ApiClient client;
  private final CoreV1Api core;
  private final ApiServerRequests server;
  private final HttpClient http = HttpClient.newHttpClient();
  /** The resources the node's ClusterRole allows: requests of others are the API server's own. */
  private final Set<String> nodeResources;
  /** Requests per second the API server serves itself (loopback clients) with no node: subtracted. */
  private Map<String, Double> background = Map.of();
  private int runs;

  private NodeBenchmark(Options options) throws IOException {
    this.options = options;
    this.client = client(options.kubeconfig, own);
    this.core = new CoreV1Api(client);
    this.server = new ApiServerRequests(client);
    this.nodeResources = DeployedJvm.nodeResources(options.statefulSet.resolveSibling("rbac.yaml"));
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmark: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    KubernetesJson.omitEmptyCollections(); // pods as Go clients send them; see the class
    NodeBenchmark benchmark = new NodeBenchmark(options);
    List<RunResult> results = new ArrayList<>();
    Report report = new Report(System.out);
    benchmark.calibrate(Duration.ofSeconds(30));
    List<Variant> variants = benchmark.variants();
    report.header(options, variants, benchmark.background);
    boolean complete = true;
    for (int run = 1; run <= options.runs; run++) {
      for (Scenario scenario : options.scenarios) {
        for (Variant variant : variants) {
          RunResult result = benchmark.run(scenario, run, variant);
          results.add(result);
          report.run(result);
          complete &= result.complete();
        }
      }
    }
    report.summary(results);
    if (options.classList != null) {
      ClassLists.merge(options.results, options.classList);
      log("classes the nodes loaded written to %s", options.classList);
    }
    System.exit(complete ? 0 : 1);
  }

  /** What the node processes run: a jar (and its class-data archive) with JVM options. */
  record Variant(String name, String jvmOptions, Path jar, Path cdsArchive) {}

  /**
   * The variants compared: builds ({@code --jar-variant}) with the StatefulSet's options (that build's
   * own, when its directory holds its {@code statefulset.yaml}), or JVM options ({@code --jvm-variant})
   * with the one build, or the StatefulSet's options with the one build.
   */
  List<Variant> variants() throws IOException, InterruptedException {
    String deployed = DeployedJvm.of(options.statefulSet).benchmarkOptions();
    List<Variant> variants = new ArrayList<>();
    for (Map.Entry<String, Path> build : options.jarVariants.entrySet()) {
      Path dir = build.getValue();
      Path manifest = dir.resolve("statefulset.yaml");
      Path classList = dir.resolve("vk4j-virtual-node.classlist");
      String jvm = Files.exists(manifest) ? DeployedJvm.of(manifest).benchmarkOptions() : deployed;
      Path jar = dir.resolve("vk4j-virtual-node.jar");
      variants.add(new Variant(build.getKey(), jvm, jar,
          Files.exists(classList) ? ClassDataArchive.dump(jar, classList, options.results, build.getKey()) : null));
    }
    // the built jar runs only without --jar-variant or with --jvm-variant: dump its archive only then
    boolean builtJarRuns = variants.isEmpty() || !options.jvmVariants.isEmpty();
    Path archive = options.cdsClassList == null || !builtJarRuns ? null
        : ClassDataArchive.dump(options.jar, options.cdsClassList, options.results, "default");
    options.jvmVariants.forEach((name, jvm) -> variants.add(new Variant(name, jvm, options.jar, archive)));
    if (variants.isEmpty()) {
      variants.add(new Variant("statefulset", deployed, options.jar, archive));
    }
    return variants;
  }

  /**
   * Measures what the API server requests of itself (its endpoint reconciler, admission plugins'
   * lookups...) while no node runs, so that it can be told apart from the nodes' requests.
   */
  private void calibrate(Duration window) throws Exception {
    log("measuring the API server's own requests for %d s, with no node", window.toSeconds());
    Snapshot before = snapshot(List.of(), 0);
    Thread.sleep(window.toMillis());
    Snapshot after = snapshot(List.of(), 0);
    Map<String, Double> perSecond = new TreeMap<>();
    nodeRequests(before, after).forEach((k, v) -> perSecond.put(k, v / ((after.nanos - before.nanos) / 1e9)));
    background = perSecond;
  }

  // ---------------------------------------------------------------- one run

  private RunResult run(Scenario scenario, int run, Variant variant) throws Exception {
    String jvmOptions = variant.jvmOptions();
    String startedAt = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    double load = Double.parseDouble(NodeProcess.loadAverage());
    int sequence = ++runs;
    Path dir = Files.createDirectories(options.results.resolve(String.format("%02d-run%d-%s-%s", sequence, run,
        scenario.text().replace(':', '-'), variant.name())));
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < scenario.nodes(); i++) {
      nodes.add("b" + suffix + sequence + (char) ('a' + i)); // short: thread names keep 15 characters
    }
    log("run %d, scenario %s, variant %s: nodes %s (load average %.1f)", run, scenario.text(), variant.name(), nodes,
        load);
    Map<String, String> namespaceOf = new HashMap<>();
    List<PodPhaseWatch> watches = new ArrayList<>();
    NodeProcess emulator = null;
    List<NodeProcess> processes = new ArrayList<>();
    try {
      for (String node : nodes) {
        String namespace = namespace("bench-" + node);
        namespaceOf.put(node, namespace);
        watches.add(new PodPhaseWatch(client, namespace));
      }
      Map<String, String> environment = new HashMap<>();
      environment.put("JAVA_TOOL_OPTIONS", jvmOptions);
      environment.put("VK4J_FAKE_START_DELAY", "0s");
      environment.put("VK4J_FAKE_POD_CAPACITY", Integer.toString(Math.max(scenario.podsPerNode(), 110)));
      int emulatorPort = 0;
      if (scenario.eci()) {
        emulatorPort = freePort();
        emulator = NodeProcess.start("eci-emulator", List.of("java", "-jar", options.emulatorJar.toString(),
            "--port", Integer.toString(emulatorPort), "--access-key", "ak", "--secret", "sk"),
            Map.of(), dir.resolve("emulator.log"));
        if (!emulator.awaitLog("listening on", Duration.ofMinutes(1))) {
          throw new IllegalStateException("the ECI emulator did not start; see " + emulator.log());
        }
        environment.putAll(Map.of("ECI_REGION", "cn-hangzhou", "ECI_ACCESS_KEY", "ak", "ECI_SECRET_KEY", "sk",
            "ECI_CLUSTER_ID", "bench-" + suffix, "ECI_SECURITY_GROUP", "sg-emulator",
            "ECI_VSWITCH", "vsw-zonea,vsw-zoneb", "ECI_ENDPOINT", "127.0.0.1:" + emulatorPort,
            "ECI_PROTOCOL", "http", "ECI_KUBE_PROXY", "false",
            "ECI_QUOTA_PODS", Integer.toString(Math.max(scenario.podsPerNode(), 3000))));
      }
      processes.addAll(startNodes(scenario, variant, nodes, environment, dir));

      // ---- start-up: until every node is Ready
      awaitReady(nodes, processes);
      double startup = processes.get(0).secondsSinceStart();
      double cpuAtReady = cpu(processes);
      Map<String, Double> threadsAtReady = threadCpu(processes, nodes);
      log("nodes Ready after %.1f s, %.2f CPU-s", startup, cpuAtReady);

      // ---- create -> Running
      Snapshot beforeCreate = snapshot(processes, emulatorPort);
      Map<String, Long> createdAt = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      createPods(scenario, nodes, namespaceOf, createdAt);
      boolean complete = awaitAll(watches, scenario.podsPerNode(), true);
      long allRunning = System.nanoTime();
      double cpuAtRunning = cpu(processes);
      Snapshot running = snapshot(processes, emulatorPort);
      log("%d pods Running after %.1f s; node CPU %.2f s", runningCount(watches), (allRunning - start) / 1e9,
          cpuAtRunning);
      Snapshot settled = settle(processes, running, emulatorPort);
      log("settled %.1f s later; node CPU %.2f s", (settled.nanos - allRunning) / 1e9, settled.cpu);

      // ---- idle: all Running, nothing changing
      Map<String, Double> threadsSettled = threadCpu(processes, nodes);
      Thread.sleep(options.idleSeconds * 1000L);
      Snapshot idle = snapshot(processes, emulatorPort);
      long peakRss = sum(processes, NodeProcess::peakRssBytes);
      long rss = sum(processes, NodeProcess::rssBytes);
      Map<String, Double> threadsAfterIdle = threadCpu(processes, nodes);
      Map<String, String> counters = jvmCounters(processes);
      if (options.profile) {
        for (NodeProcess process : processes) {
          process.jcmd("VM.native_memory summary", dir.resolve(process.name() + "-native-memory.txt"));
        }
      }
      NodeProcess.HeapReading withPods = heap(processes, dir, "with-pods");
      log("idle %d s: %.2f CPU-s; peak RSS %d MB, live heap %d MB", options.idleSeconds, idle.cpu - settled.cpu,
          peakRss >> 20, withPods.liveBytes() >> 20);

      // ---- deletion
      Snapshot beforeDelete = snapshot(processes, emulatorPort);
      long deleteStart = System.nanoTime();
      for (String namespace : namespaceOf.values()) {
        deleteAll(namespace);
      }
      complete &= awaitAll(watches, scenario.podsPerNode(), false);
      long allDeleted = System.nanoTime();
      Snapshot deleted = settle(processes, snapshot(processes, emulatorPort), emulatorPort);
      log("all pods gone after %.1f s", (allDeleted - deleteStart) / 1e9);
      NodeProcess.HeapReading empty = heap(processes, dir, "after-deletion");
      peakRss = Math.max(peakRss, sum(processes, NodeProcess::peakRssBytes));

      return new RunResult(scenario, variant.name(), jvmOptions, startedAt, complete, load, startup, cpuAtReady,
          (allRunning - start) / 1e9, latencies(createdAt, watches), cpuAtRunning, settled.cpu,
          (settled.nanos - allRunning) / 1e9, (idle.nanos - settled.nanos) / 1e9, idle.cpu - settled.cpu,
          nodeRequests(settled, idle), peakRss, rss, withPods.liveBytes(), withPods.committedBytes(),
          empty.liveBytes(), (allDeleted - deleteStart) / 1e9, deleted.cpu - beforeDelete.cpu,
          nodeRequests(beforeCreate, settled), nodeRequests(beforeDelete, deleted),
          scenario.eci() ? difference(beforeCreate.eci, settled.eci, deleted.eci, beforeDelete.eci) : Map.of(),
          scenario.eci() ? RequestCounter.difference(idle.eci, settled.eci) : Map.of(),
          threadsAtReady, threadsSettled, threadsAfterIdle, counters,
          (double) (settled.machine[0] - beforeCreate.machine[0]) / (settled.machine[1] - beforeCreate.machine[1])
              * Runtime.getRuntime().availableProcessors(),
          settled.apiServerCpu - beforeCreate.apiServerCpu);
    } finally {
      if (options.profile) {
        // dumped while the process runs: a node that stops on SIGTERM halts before JFR's own dump at exit
        for (NodeProcess process : processes) {
          try {
            process.jcmd("JFR.dump filename=" + dir.resolve(process.name() + ".jfr"),
                dir.resolve(process.name() + "-jfr-dump.txt"));
          } catch (IOException e) {
            log("no JFR recording of %s: %s", process.name(), e.getMessage());
          }
        }
      }
      processes.forEach(NodeProcess::close);
      if (emulator != null) {
        emulator.close();
      }
      watches.forEach(PodPhaseWatch::close);
      cleanUp(nodes, namespaceOf.values());
      if (options.profile) {
        summarizeRecordings(dir);
      }
    }
  }

  /** The JFR summary of each node JVM of a {@code --profile} run, into profile.txt and the log. */
  private static void summarizeRecordings(Path dir) throws IOException {
    List<Path> recordings;
    try (var files = Files.list(dir)) {
      recordings = files.filter(f -> f.toString().endsWith(".jfr") && !f.getFileName().toString()
          .startsWith("recording-")).sorted().toList();
    }
    try (PrintStream profile = new PrintStream(Files.newOutputStream(dir.resolve("profile.txt")), true,
        StandardCharsets.UTF_8)) {
      for (Path recording : recordings) {
        JfrSummary.summarize(recording, profile);
      }
    }
    System.err.print(Files.readString(dir.resolve("profile.txt")));
  }

  private List<NodeProcess> startNodes(Scenario scenario, Variant variant, List<String> nodes,
      Map<String, String> environment, Path dir) throws IOException {
    List<NodeProcess> started = new ArrayList<>();
    List<String> java = new ArrayList<>(List.of("java"));
    if (variant.cdsArchive() != null) {
      // as the image's entry point, and -Xshare:on: an archive that does not map fails the run, not the figures
      java.add("-XX:SharedArchiveFile=" + variant.cdsArchive());
      java.add("-Xshare:on");
    }
    if (options.classList != null) {
      java.add("-XX:DumpLoadedClassList=" + dir.resolve("loaded-%s.classlist"));
    }
    if (options.profile) {
      // JFR's profile settings and a GC log; the figures of such a run include their overhead
      java.add("-XX:StartFlightRecording=filename=" + dir.resolve("recording-%p.jfr") + ",settings=profile");
      java.add("-Xlog:gc*:file=" + dir.resolve("gc.log"));
      java.add("-XX:NativeMemoryTracking=summary");
    }
    java.addAll(options.extraJvmOptions);
    if (scenario.oneJvm() && scenario.nodes() > 1) {
      List<String> command = named(java, "nodes");
      command.addAll(List.of("-cp", variant.jar() + ":" + options.testClasses, "io.vk4j.examples.SeveralNodesMain",
          options.kubeconfig.toString(), scenario.eci() ? "eci" : "fake"));
      command.addAll(nodes);
      started.add(NodeProcess.start("nodes", command, environment, dir.resolve("nodes.log")));
      return started;
    }
    for (String node : nodes) {
      List<String> command = named(java, node);
      command.addAll(List.of("-jar", variant.jar().toString(), "--provider", scenario.eci() ? "eci" : "fake",
          "--nodename", node, "--kubeconfig", options.kubeconfig.toString(), "--kubelet-port", "0"));
      command.addAll(options.nodeArgs);
      started.add(NodeProcess.start(node, command, environment, dir.resolve(node + ".log")));
    }
    return started;
  }

  /** The JVM's options with per-process file names filled in. */
  private static List<String> named(List<String> java, String process) {
    List<String> command = new ArrayList<>();
    java.forEach(option -> command.add(option.replace("%s", process)));
    return command;
  }

  private void awaitReady(List<String> nodes, List<NodeProcess> processes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    List<String> waiting = new ArrayList<>(nodes);
    while (!waiting.isEmpty()) {
      for (NodeProcess process : processes) {
        if (!process.isAlive()) {
          throw new IllegalStateException("node process " + process.name() + " ended; see " + process.log());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nodes " + waiting + " not Ready after 3 min; see " + processes.get(0).log());
      }
      waiting.removeIf(this::isReady);
      Thread.sleep(100);
    }
  }

  private boolean isReady(String node) {
    try {
      V1Node found = core.readNode(node).execute();
      return found.getStatus() != null && found.getStatus().getConditions() != null
          && found.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    } catch (ApiException e) {
      return false;
    }
  }

  /** Creates the pods with {@code concurrency} threads, spreading them over the nodes in turn. */
  private void createPods(Scenario scenario, List<String> nodes, Map<String, String> namespaceOf,
      Map<String, Long> createdAt) throws Exception {
    ExecutorService creators = Executors.newFixedThreadPool(options.concurrency);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < scenario.pods(); i++) {
        String node = nodes.get(i % nodes.size());
        String namespace = namespaceOf.get(node);
        String name = String.format("pod-%05d", i / nodes.size());
        futures.add(creators.submit(() -> {
          retrying(() -> core.createNamespacedPod(namespace, pod(name, node)).execute());
          createdAt.put(namespace + "/" + name, System.nanoTime());
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
            .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists")));
  }

  private boolean awaitAll(List<PodPhaseWatch> watches, int perNamespace, boolean running)
      throws InterruptedException {
    long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
    for (PodPhaseWatch watch : watches) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      boolean done = running ? watch.awaitRunning(perNamespace, left) : watch.awaitDeleted(perNamespace, left);
      if (!done) {
        log("INCOMPLETE: %d Running, %d deleted in a namespace after %s", watch.runningCount(),
            watch.deletedCount(), PHASE_TIMEOUT);
        return false;
      }
    }
    return true;
  }

  private static int runningCount(List<PodPhaseWatch> watches) {
    return watches.stream().mapToInt(PodPhaseWatch::runningCount).sum();
  }

  private static List<Long> latencies(Map<String, Long> createdAt, List<PodPhaseWatch> watches) {
    Map<String, Long> runningAt = new HashMap<>();
    for (PodPhaseWatch watch : watches) {
      watch.runningAt().forEach((name, at) -> runningAt.put(watch.namespace() + "/" + name, at));
    }
    List<Long> millis = new ArrayList<>();
    createdAt.forEach((key, created) -> {
      Long running = runningAt.get(key);
      if (running != null) {
        millis.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(running - created)));
      }
    });
    millis.sort(null);
    return millis;
  }

  // ---------------------------------------------------------------- measuring

  /** What the counters say at one moment. */
  private record Snapshot(long nanos, double cpu, Map<String, Long> server, Map<String, Long> own,
      Map<String, Long> eci, long[] machine, double apiServerCpu) {}

  private Snapshot snapshot(List<NodeProcess> processes, int emulatorPort) throws Exception {
    Map<String, Long> mine = own.snapshot(); // before the scrape, which the server counts only in the next one
    Map<String, Long> served = server.snapshot();
    return new Snapshot(System.nanoTime(), cpu(processes), served, mine,
        emulatorPort == 0 ? Map.of() : eciCalls(emulatorPort), NodeProcess.machineJiffies(), apiServerCpu());
  }

  /**
   * Waits until the nodes have sent no pod or Event write for {@link #QUIET} (at most 5 min), so
   * that what they queued is counted in the phase that caused it and the CPU includes it.
   */
  private Snapshot settle(List<NodeProcess> processes, Snapshot from, int emulatorPort) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    Snapshot last = from;
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(2000);
      Snapshot now = snapshot(processes, emulatorPort);
      if (RunResult.writes(nodeRequests(last, now)) > 0) {
        quietSince = now.nanos;
      }
      last = now;
      if (now.nanos - quietSince >= QUIET.toNanos()) {
        break;
      }
    }
    return last;
  }

  /**
   * The requests of the nodes between two snapshots: what the server served, of the resources the
   * node may use, less this client's own and less the server's own background at its measured rate.
   */
  private Map<String, Long> nodeRequests(Snapshot from, Snapshot to) {
    Map<String, Long> served = RequestCounter.difference(to.server, from.server);
    Map<String, Long> mine = RequestCounter.difference(to.own, from.own);
    double seconds = (to.nanos - from.nanos) / 1e9;
    Map<String, Long> result = new TreeMap<>();
    served.forEach((key, count) -> {
      if (!nodeResources.contains(key.substring(key.indexOf(' ') + 1))) {
        return;
      }
      long theirs = count - mine.getOrDefault(key, 0L) - Math.round(background.getOrDefault(key, 0.0) * seconds);
      if (theirs > 0) {
        result.put(key, theirs);
      }
    });
    return result;
  }

  /** ECI calls of the create phase and of the deletion together. */
  private static Map<String, Long> difference(Map<String, Long> from, Map<String, Long> to,
      Map<String, Long> deletedTo, Map<String, Long> deletedFrom) {
    Map<String, Long> result = new TreeMap<>(RequestCounter.difference(to, from));
    RequestCounter.difference(deletedTo, deletedFrom).forEach((k, v) -> result.merge(k, v, Long::sum));
    return result;
  }

  private Map<String, Long> eciCalls(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/_emulator/calls")).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject calls = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("Calls");
    Map<String, Long> counts = new TreeMap<>();
    calls.entrySet().forEach(e -> counts.put(e.getKey(), e.getValue().getAsLong()));
    return counts;
  }

  private double apiServerCpu() {
    double total = 0;
    for (long pid : options.controlPlanePids) {
      try {
        total += NodeProcess.cpuSecondsOf(pid);
      } catch (IOException e) {
        // ended, or on another machine
      }
    }
    return total;
  }

  private interface Reading {
    long of(NodeProcess process) throws IOException;
  }

  private static long sum(List<NodeProcess> processes, Reading reading) throws IOException {
    long total = 0;
    for (NodeProcess process : processes) {
      total += reading.of(process);
    }
    return total;
  }

  private static double cpu(List<NodeProcess> processes) throws IOException {
    double total = 0;
    for (NodeProcess process : processes) {
      total += process.cpuSeconds();
    }
    return total;
  }

  private static Map<String, Double> threadCpu(List<NodeProcess> processes, List<String> nodes) throws IOException {
    Map<String, Double> total = new TreeMap<>();
    for (NodeProcess process : processes) {
      process.cpuByThread(nodes).forEach((k, v) -> total.merge(k, v, Double::sum));
    }
    return total;
  }

  private static Map<String, String> jvmCounters(List<NodeProcess> processes) throws Exception {
    Map<String, Double> total = new TreeMap<>();
    for (NodeProcess process : processes) {
      process.jvmCounters().forEach((k, v) -> total.merge(k, v, Double::sum));
    }
    Map<String, String> shown = new TreeMap<>();
    total.forEach((k, v) -> shown.put(k, v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.2f", v)));
    return shown;
  }

  private static NodeProcess.HeapReading heap(List<NodeProcess> processes, Path dir, String when) throws Exception {
    long live = 0;
    long committed = 0;
    for (NodeProcess process : processes) {
      NodeProcess.HeapReading reading = process.liveHeap(dir.resolve(process.name() + "-histogram-" + when + ".txt"));
      live += reading.liveBytes();
      committed += reading.committedBytes();
    }
    return new NodeProcess.HeapReading(live, committed);
  }

  // ---------------------------------------------------------------- cluster helpers

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
   * Deletes every pod of the namespace, each with its own grace period. The API server stops a
   * large deletecollection when it outlasts its request timeout (504, or 500 "context deadline
   * exceeded"), so it is sent again until one completes.
   */
  private void deleteAll(String namespace) throws ApiException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        core.deleteCollectionNamespacedPod(namespace).execute();
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

  private String namespace(String name) throws Exception {
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    // pods need the namespace's default service account; without a controller manager (the
    // benchmark's private control plane) nobody else creates it
    try {
      core.createNamespacedServiceAccount(name, new V1ServiceAccount().metadata(new V1ObjectMeta().name("default")))
          .execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    return name;
  }

  private void cleanUp(List<String> nodes, Iterable<String> namespaces) {
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static ApiClient client(Path kubeconfig, RequestCounter counter) throws IOException {
    try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      config.setFile(kubeconfig.toFile());
      ApiClient apiClient = ClientBuilder.kubeconfig(config).build();
      okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
      dispatcher.setMaxRequests(256);
      dispatcher.setMaxRequestsPerHost(256);
      apiClient.setHttpClient(apiClient.getHttpClient().newBuilder().readTimeout(5, TimeUnit.MINUTES)
          .dispatcher(dispatcher).addInterceptor(counter).build());
      return apiClient;
    }
  }

  static void log(String format, Object... args) {
    System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }
}
