package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The body of {@code GET /stats/summary}, shaped like the kubelet's {@code stats/v1alpha1} Summary
 * that metrics-server and {@code kubectl top} read. A virtual node's own usage is the sum of its
 * pods'; figures the provider does not measure are left out rather than reported as zero.
 */
final class StatsSummary {
  private StatsSummary() {}

  static JsonObject of(String nodeName, Instant nodeStartTime, List<PodStats> stats, PodIndex pods) {
    Instant now = latest(stats).orElse(Instant.now());
    JsonObject node = new JsonObject();
    node.addProperty("nodeName", nodeName);
    node.addProperty("startTime", nodeStartTime.toString());
    List<ContainerStats> allContainers = stats.stream().flatMap(p -> p.containers().stream()).toList();
    node.add("cpu", cpu(now, allContainers));
    node.add("memory", memory(now, allContainers));

    JsonArray podArray = new JsonArray();
    for (PodStats pod : stats) {
      podArray.add(pod(pod, pods.find(pod)));
    }
    JsonObject summary = new JsonObject();
    summary.add("node", node);
    summary.add("pods", podArray);
    return summary;
  }

  private static JsonObject pod(PodStats stats, Optional<V1Pod> pod) {
    JsonObject ref = new JsonObject();
    ref.addProperty("name", stats.name());
    ref.addProperty("namespace", stats.namespace());
    ref.addProperty("uid", stats.uid());
    JsonObject json = new JsonObject();
    json.add("podRef", ref);
    pod.map(p -> p.getStatus() == null ? null : p.getStatus().getStartTime())
        .ifPresent(start -> json.addProperty("startTime", start.toInstant().toString()));
    Map<String, OffsetDateTime> started = pod.map(PodIndex::containerStartTimes).orElse(Map.of());
    JsonArray containers = new JsonArray();
    for (ContainerStats container : stats.containers()) {
      JsonObject c = new JsonObject();
      c.addProperty("name", container.name());
      Optional.ofNullable(started.get(container.name()))
          .ifPresent(start -> c.addProperty("startTime", start.toInstant().toString()));
      c.add("cpu", cpu(container.time(), List.of(container)));
      c.add("memory", memory(container.time(), List.of(container)));
      containers.add(c);
    }
    json.add("containers", containers);
    json.add("cpu", cpu(stats.time(), stats.containers()));
    json.add("memory", memory(stats.time(), stats.containers()));
    if (stats.networkRxBytes().isPresent() || stats.networkTxBytes().isPresent()) {
      JsonObject network = new JsonObject();
      network.addProperty("time", stats.time().toString());
      stats.networkRxBytes().ifPresent(v -> network.addProperty("rxBytes", v));
      stats.networkTxBytes().ifPresent(v -> network.addProperty("txBytes", v));
      json.add("network", network);
    }
    return json;
  }

  private static JsonObject cpu(Instant time, List<ContainerStats> containers) {
    JsonObject cpu = new JsonObject();
    cpu.addProperty("time", time.toString());
    sum(containers, ContainerStats::cpuUsageNanoCores).ifPresent(v -> cpu.addProperty("usageNanoCores", v));
    sum(containers, ContainerStats::cpuUsageCoreNanoSeconds)
        .ifPresent(v -> cpu.addProperty("usageCoreNanoSeconds", v));
    return cpu;
  }

  private static JsonObject memory(Instant time, List<ContainerStats> containers) {
    JsonObject memory = new JsonObject();
    memory.addProperty("time", time.toString());
    sum(containers, ContainerStats::memoryWorkingSetBytes)
        .ifPresent(v -> memory.addProperty("workingSetBytes", v));
    return memory;
  }

  /** The sum of the figures that are present; empty when no container has the figure. */
  static OptionalLong sum(List<ContainerStats> containers, Function<ContainerStats, OptionalLong> figure) {
    return containers.stream()
        .map(figure)
        .filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong)
        .reduce(Long::sum);
  }

  static Optional<Instant> latest(List<PodStats> stats) {
    return stats.stream().map(PodStats::time).max(Comparator.naturalOrder());
  }
}
