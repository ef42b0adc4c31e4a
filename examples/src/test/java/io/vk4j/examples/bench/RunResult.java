package io.vk4j.examples.bench;

import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark run. CPU seconds are the node processes' own (summed over their
 * JVMs), counted from their start; request counts are the nodes' own requests as the API server
 * counted them.
 */
record RunResult(
    Scenario scenario,
    String variant,
    String jvmOptions,
    String startedAt,
    boolean complete,
    double loadBefore,
    double startupSeconds,
    double cpuAtReady,
    double wallToRunning,
    List<Long> latencyMillis,
    double cpuAtRunning,
    double cpuSettled,
    double settleSeconds,
    double idleSeconds,
    double idleCpu,
    Map<String, Long> idleRequests,
    long peakRssBytes,
    long rssIdleBytes,
    long liveHeapWithPods,
    long committedHeapWithPods,
    long liveHeapEmpty,
    double deletionSeconds,
    double deletionCpu,
    Map<String, Long> toRunningRequests,
    Map<String, Long> deletionRequests,
    Map<String, Long> eciCalls,
    Map<String, Long> eciIdleCalls,
    Map<String, Double> threadCpuAtReady,
    Map<String, Double> threadCpuSettled,
    Map<String, Double> threadCpuAfterIdle,
    Map<String, String> jvmCounters,
    double machineBusyCores,
    double apiServerCpu) {

  double idleCpuPerMinute() {
    return idleCpu / (idleSeconds / 60);
  }

  long percentile(int p) {
    if (latencyMillis.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * latencyMillis.size()) - 1;
    return latencyMillis.get(Math.max(0, Math.min(index, latencyMillis.size() - 1)));
  }

  /** The nodes' pod and Event writes over create → Running → settled and the deletion, per pod. */
  double writesPerPod() {
    return (writes(toRunningRequests) + writes(deletionRequests)) / (double) scenario.pods();
  }

  double heapPerPodBytes() {
    return (liveHeapWithPods - liveHeapEmpty) / (double) scenario.pods();
  }

  /** Pod (pods, pods/status...) and Event writes in {@code counts}. */
  static long writes(Map<String, Long> counts) {
    return RequestCounter.total(counts, k -> RequestCounter.isWrite(k) && (RequestCounter.isPod(k)
        || k.endsWith(" events")));
  }

  static long podWrites(Map<String, Long> counts) {
    return RequestCounter.total(counts, k -> RequestCounter.isWrite(k) && RequestCounter.isPod(k));
  }
}
