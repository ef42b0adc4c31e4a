package io.vk4j.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints each run's figures as it ends, and at the end one table with every run, per scenario. */
final class Report {
  private static final double MB = 1_000_000;

  private final PrintStream out;
  private boolean severalVariants;

  Report(PrintStream out) {
    this.out = out;
  }

  void header(Options options, List<NodeBenchmark.Variant> variants, Map<String, Double> background) {
    out.printf(Locale.ROOT, "vk4j node benchmark %s%n", options.label);
    out.printf(Locale.ROOT, "scenarios %s, %d run(s) interleaved, idle window %d s, create concurrency %d%n",
        options.scenarios.stream().map(Scenario::text).collect(Collectors.joining(" ")), options.runs,
        options.idleSeconds, options.concurrency);
    variants.forEach(v -> out.printf(Locale.ROOT, "node JVMs (%s): %s%s, JAVA_TOOL_OPTIONS=\"%s\"%s%s%n",
        v.name(), v.jar(), v.cdsArchive() == null ? "" : " with " + v.cdsArchive(), v.jvmOptions(),
        options.extraJvmOptions.isEmpty() ? "" : ", command line " + String.join(" ", options.extraJvmOptions),
        options.profile ? ", with JFR (settings=profile), NMT and -Xlog:gc*" : ""));
    this.severalVariants = variants.size() > 1;
    if (!options.nodeArgs.isEmpty()) {
      out.printf("node command line adds: %s%n", String.join(" ", options.nodeArgs));
    }
    Map<String, String> perMinute = new TreeMap<>();
    background.forEach((k, v) -> perMinute.put(k, f1(v * 60)));
    out.printf(Locale.ROOT, "the API server's own requests per minute, subtracted from the nodes': %s%n", perMinute);
    out.printf(Locale.ROOT, "machine: %d CPUs, %s%n%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"));
    out.flush();
  }

  void run(RunResult r) {
    Scenario s = r.scenario();
    out.printf(Locale.ROOT, "--- %s: %d node(s) x %d pods, %d JVM(s), %s UTC, load average %.1f%s%n", column(r),
        s.nodes(), s.podsPerNode(), s.jvms(), r.startedAt(), r.loadBefore(), r.complete() ? "" : "  INCOMPLETE");
    out.printf(Locale.ROOT, "JAVA_TOOL_OPTIONS=\"%s\"%n", r.jvmOptions());
    out.printf(Locale.ROOT, "start-up: Ready %.1f s after launch, %.2f CPU-s%n", r.startupSeconds(), r.cpuAtReady());
    out.printf(Locale.ROOT, "first create -> all Running %.1f s; create -> Running p50 %.1f s, p99 %.1f s%n",
        r.wallToRunning(), r.percentile(50) / 1000.0, r.percentile(99) / 1000.0);
    out.printf(Locale.ROOT, "node CPU since launch: %.2f s at all Running, %.2f s settled (%.1f s later);"
        + " %.2f ms per pod after Ready%n", r.cpuAtRunning(), r.cpuSettled(), r.settleSeconds(),
        (r.cpuSettled() - r.cpuAtReady()) * 1000 / s.pods());
    out.printf(Locale.ROOT, "machine while creating: %.2f of %d cores busy; control plane (apiserver, etcd) %.1f CPU-s%n",
        r.machineBusyCores(), Runtime.getRuntime().availableProcessors(), r.apiServerCpu());
    out.printf(Locale.ROOT, "memory: peak RSS %.0f MB (%.1f KB per pod), RSS after idle %.0f MB; heap after GC %.1f MB"
        + " with pods (committed %.0f MB), %.1f MB after deletion: %.2f KB per pod%n", r.peakRssBytes() / MB,
        r.peakRssBytes() / 1024.0 / s.pods(), r.rssIdleBytes() / MB, r.liveHeapWithPods() / MB,
        r.committedHeapWithPods() / MB, r.liveHeapEmpty() / MB, r.heapPerPodBytes() / 1024);
    out.printf(Locale.ROOT, "writes per pod lifecycle %.2f (pods %.2f, events %.2f)%n", r.writesPerPod(),
        (RunResult.podWrites(r.toRunningRequests()) + RunResult.podWrites(r.deletionRequests())) / (double) s.pods(),
        r.writesPerPod() - (RunResult.podWrites(r.toRunningRequests()) + RunResult.podWrites(r.deletionRequests()))
            / (double) s.pods());
    out.printf("  create -> settled: %s%n", r.toRunningRequests());
    out.printf("  deletion:          %s%n", r.deletionRequests());
    out.printf(Locale.ROOT, "deletion: all gone %.1f s after deletecollection, %.2f CPU-s (%.2f ms per pod)%n",
        r.deletionSeconds(), r.deletionCpu(), r.deletionCpu() * 1000 / s.pods());
    out.printf(Locale.ROOT, "idle (%.0f s, all Running): %.3f CPU-s/min; pod writes %d; requests/min %s%n",
        r.idleSeconds(), r.idleCpuPerMinute(), RunResult.podWrites(r.idleRequests()),
        perMinute(r.idleRequests(), r.idleSeconds()));
    if (s.eci()) {
      long calls = r.eciCalls().values().stream().mapToLong(Long::longValue).sum();
      out.printf(Locale.ROOT, "ECI calls per pod %.2f: %s; idle ECI calls/min %s%n", calls / (double) s.pods(),
          r.eciCalls(), perMinute(r.eciIdleCalls(), r.idleSeconds()));
    }
    out.printf("JVM counters after idle: %s%n", r.jvmCounters());
    out.printf("CPU-s by thread at Ready:    %s%n", top(r.threadCpuAtReady()));
    out.printf("CPU-s by thread until settled: %s%n", top(r.threadCpuSettled()));
    out.printf("CPU-s by thread while idle:  %s%n%n", top(minus(r.threadCpuAfterIdle(), r.threadCpuSettled())));
    out.flush();
  }

  /** One markdown table: a column per scenario, a row per figure, every run's value in each cell. */
  void summary(List<RunResult> results) {
    Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
    results.forEach(r -> byScenario.computeIfAbsent(column(r), k -> new ArrayList<>()).add(r));
    Map<String, Function<RunResult, String>> rows = new LinkedHashMap<>();
    rows.put("wall time, first create → all Running (s)", r -> f1(r.wallToRunning()));
    rows.put("p50 / p99 create → Running (s)", r -> f1(r.percentile(50) / 1000.0) + "/" + f1(r.percentile(99) / 1000.0));
    rows.put("node CPU at Ready (s)", r -> f1(r.cpuAtReady()));
    rows.put("node CPU until all Running (s)", r -> f1(r.cpuAtRunning()));
    rows.put("node CPU including settling (s)", r -> f1(r.cpuSettled()));
    rows.put("node CPU per pod after Ready (ms)", r -> f2((r.cpuSettled() - r.cpuAtReady()) * 1000 / r.scenario().pods()));
    rows.put("peak RSS (MB)", r -> String.format(Locale.ROOT, "%.0f", r.peakRssBytes() / MB));
    rows.put("peak RSS per pod (KB)", r -> f1(r.peakRssBytes() / 1024.0 / r.scenario().pods()));
    rows.put("heap after GC with pods (MB) / per pod (KB)",
        r -> f1(r.liveHeapWithPods() / MB) + " / " + f1(r.heapPerPodBytes() / 1024));
    rows.put("API writes per pod, create + delete", r -> f2(r.writesPerPod()));
    rows.put("deleting all pods (s)", r -> f1(r.deletionSeconds()));
    rows.put("deletion CPU per pod (ms)", r -> f2(r.deletionCpu() * 1000 / r.scenario().pods()));
    rows.put("idle, all Running (CPU-s/min)", r -> f2(r.idleCpuPerMinute()));
    rows.put("idle pod writes", r -> Long.toString(RunResult.podWrites(r.idleRequests())));
    if (results.stream().anyMatch(r -> r.scenario().eci())) {
      rows.put("ECI calls per pod", r -> r.scenario().eci()
          ? f2(r.eciCalls().values().stream().mapToLong(Long::longValue).sum() / (double) r.scenario().pods()) : "");
    }
    rows.put("load average at start", r -> f1(r.loadBefore()));

    out.println("| | " + String.join(" | ", byScenario.keySet()) + " |");
    out.println("|---" + "|---".repeat(byScenario.size()) + "|");
    rows.forEach((name, value) -> out.println("| " + name + " | " + byScenario.values().stream()
        .map(runs -> runs.stream().map(value).collect(Collectors.joining(", ")))
        .collect(Collectors.joining(" | ")) + " |"));
    out.flush();
  }

  private String column(RunResult r) {
    return severalVariants ? r.scenario().text() + " " + r.variant() : r.scenario().text();
  }

  private static String perMinute(Map<String, Long> counts, double seconds) {
    Map<String, String> rates = new TreeMap<>();
    counts.forEach((k, v) -> rates.put(k, f1(v / (seconds / 60))));
    return rates.toString();
  }

  private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> delta = new TreeMap<>();
    after.forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0.0)));
    return delta;
  }

  /** The threads that used the most CPU, largest first. */
  private static String top(Map<String, Double> byThread) {
    return byThread.entrySet().stream()
        .filter(e -> e.getValue() >= 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(14)
        .map(e -> e.getKey() + "=" + f2(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String f1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String f2(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
