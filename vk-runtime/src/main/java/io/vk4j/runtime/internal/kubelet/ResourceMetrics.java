package io.vk4j.runtime.internal.kubelet;

import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The body of {@code GET /metrics/resource}: the kubelet's resource metrics in the Prometheus text
 * format, which metrics-server 0.6 and later scrape. Node figures are the sums of the pods'.
 */
final class ResourceMetrics {
  private static final double NANOS_PER_SECOND = 1e9;

  private final PrometheusText text = new PrometheusText();

  private ResourceMetrics() {}

  /** The metrics of {@code stats}; with {@code scrapeFailed} only {@code scrape_error 1}. */
  static String of(List<PodStats> stats, PodIndex pods, boolean scrapeFailed) {
    ResourceMetrics metrics = new ResourceMetrics();
    if (!scrapeFailed) {
      metrics.node(stats);
      metrics.pods(stats);
      metrics.containers(stats, pods);
    }
    metrics.family("scrape_error", "gauge",
        "1 if there was an error while getting container metrics, 0 otherwise");
    metrics.sample("scrape_error", List.of(), scrapeFailed ? 1 : 0, Optional.empty());
    return metrics.text.toString();
  }

  private void node(List<PodStats> stats) {
    List<ContainerStats> all = stats.stream().flatMap(p -> p.containers().stream()).toList();
    Optional<Instant> time = StatsSummary.latest(stats);
    StatsSummary.sum(all, ContainerStats::cpuUsageCoreNanoSeconds).ifPresent(cpu -> {
      family("node_cpu_usage_seconds_total", "counter",
          "Cumulative cpu time consumed by the node in core-seconds");
      sample("node_cpu_usage_seconds_total", List.of(), cpu / NANOS_PER_SECOND, time);
    });
    StatsSummary.sum(all, ContainerStats::memoryWorkingSetBytes).ifPresent(memory -> {
      family("node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes");
      sample("node_memory_working_set_bytes", List.of(), memory, time);
    });
  }

  private void pods(List<PodStats> stats) {
    podFamily(stats, "pod_cpu_usage_seconds_total", "counter",
        "Cumulative cpu time consumed by the pod in core-seconds",
        ContainerStats::cpuUsageCoreNanoSeconds, NANOS_PER_SECOND);
    podFamily(stats, "pod_memory_working_set_bytes", "gauge",
        "Current working set of the pod in bytes", ContainerStats::memoryWorkingSetBytes, 1);
  }

  private void podFamily(List<PodStats> stats, String name, String type, String help,
      Function<ContainerStats, OptionalLong> figure, double divisor) {
    boolean headerWritten = false;
    for (PodStats pod : stats) {
      OptionalLong value = StatsSummary.sum(pod.containers(), figure);
      if (value.isEmpty()) {
        continue;
      }
      if (!headerWritten) {
        family(name, type, help);
        headerWritten = true;
      }
      sample(name, List.of("namespace", pod.namespace(), "pod", pod.name()),
          value.getAsLong() / divisor, Optional.of(pod.time()));
    }
  }

  private void containers(List<PodStats> stats, PodIndex pods) {
    containerFamily(stats, "container_cpu_usage_seconds_total", "counter",
        "Cumulative cpu time consumed by the container in core-seconds",
        ContainerStats::cpuUsageCoreNanoSeconds, NANOS_PER_SECOND);
    containerFamily(stats, "container_memory_working_set_bytes", "gauge",
        "Current working set of the container in bytes", ContainerStats::memoryWorkingSetBytes, 1);

    List<ContainerStart> starts = new ArrayList<>();
    for (PodStats pod : stats) {
      Map<String, OffsetDateTime> started =
          pods.find(pod).map(PodIndex::containerStartTimes).orElse(Map.of());
      for (ContainerStats container : pod.containers()) {
        Optional.ofNullable(started.get(container.name())).ifPresent(
            start -> starts.add(new ContainerStart(pod, container.name(), start.toEpochSecond())));
      }
    }
    if (!starts.isEmpty()) {
      family("container_start_time_seconds", "gauge",
          "Start time of the container since unix epoch in seconds");
      for (ContainerStart start : starts) {
        sample("container_start_time_seconds",
            List.of("container", start.container(), "namespace", start.pod().namespace(),
                "pod", start.pod().name()),
            start.epochSeconds(), Optional.empty());
      }
    }
  }

  private record ContainerStart(PodStats pod, String container, long epochSeconds) {}

  private void containerFamily(List<PodStats> stats, String name, String type, String help,
      Function<ContainerStats, OptionalLong> figure, double divisor) {
    boolean headerWritten = false;
    for (PodStats pod : stats) {
      for (ContainerStats container : pod.containers()) {
        OptionalLong value = figure.apply(container);
        if (value.isEmpty()) {
          continue;
        }
        if (!headerWritten) {
          family(name, type, help);
          headerWritten = true;
        }
        sample(name,
            List.of("container", container.name(), "namespace", pod.namespace(), "pod", pod.name()),
            value.getAsLong() / divisor, Optional.of(container.time()));
      }
    }
  }

  private void family(String name, String type, String help) {
    text.family(name, type, help);
  }

  private void sample(String name, List<String> labels, double value, Optional<Instant> time) {
    text.sample(name, labels, value, time);
  }
}
