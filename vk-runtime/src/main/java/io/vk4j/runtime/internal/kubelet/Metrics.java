package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.ProviderException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage endpoints, from the provider's {@link PodStatsSource}: {@code /stats/summary} (what
 * metrics-server before 0.6 and {@code kubectl top} read), {@code /metrics/resource} (metrics-server
 * 0.6+) and {@code /metrics/cadvisor} (Prometheus scrapes, with cAdvisor's metric names).
 */
final class Metrics {
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
  private static final double NANOS_PER_SECOND = 1e9;

  private Metrics() {}

  static String summary(Kubelet kubelet) throws HttpError, ProviderException {
    List<V1Pod> pods = kubelet.podsOnNode().get();
    return StatsSummary.of(kubelet.nodeName(), kubelet.startTime(), podStats(kubelet), new PodIndex(pods)).toString();
  }

  /** Like the kubelet: a failing provider still gives a scrape, flagged {@code scrape_error 1}. */
  static String resource(Kubelet kubelet) throws HttpError {
    List<PodStats> stats;
    boolean failed = false;
    try {
      stats = podStats(kubelet);
    } catch (ProviderException e) {
      LOG.warn("kubelet API /metrics/resource: provider failed: {}", e.toString());
      stats = List.of();
      failed = true;
    }
    return ResourceMetrics.of(stats, new PodIndex(kubelet.podsOnNode().get()), failed);
  }

  static String cadvisor(Kubelet kubelet) throws HttpError, ProviderException {
    List<PodStats> stats = podStats(kubelet);
    PodIndex pods = new PodIndex(kubelet.podsOnNode().get());
    PrometheusText text = new PrometheusText();
    containerFamily(text, stats, pods, "container_cpu_usage_seconds_total", "counter",
        "Cumulative cpu time consumed in seconds.", c -> c.cpuUsageCoreNanoSeconds().isPresent()
            ? Optional.of(c.cpuUsageCoreNanoSeconds().getAsLong() / NANOS_PER_SECOND) : Optional.empty());
    containerFamily(text, stats, pods, "container_memory_working_set_bytes", "gauge",
        "Current working set in bytes.", c -> c.memoryWorkingSetBytes().isPresent()
            ? Optional.of((double) c.memoryWorkingSetBytes().getAsLong()) : Optional.empty());
    podNetwork(text, stats, "container_network_receive_bytes_total", "Cumulative count of bytes received",
        p -> p.networkRxBytes().isPresent() ? Optional.of(p.networkRxBytes().getAsLong()) : Optional.empty());
    podNetwork(text, stats, "container_network_transmit_bytes_total", "Cumulative count of bytes transmitted",
        p -> p.networkTxBytes().isPresent() ? Optional.of(p.networkTxBytes().getAsLong()) : Optional.empty());
    boolean headerWritten = false;
    for (PodStats pod : stats) {
      Optional<V1Pod> apiPod = pods.find(pod);
      Map<String, OffsetDateTime> started = apiPod.map(PodIndex::containerStartTimes).orElse(Map.of());
      for (ContainerStats container : pod.containers()) {
        OffsetDateTime start = started.get(container.name());
        if (start == null) {
          continue;
        }
        if (!headerWritten) {
          text.family("container_start_time_seconds", "gauge", "Start time of the container since unix epoch in seconds.");
          headerWritten = true;
        }
        text.sample("container_start_time_seconds", labels(pod, container.name(), image(apiPod, container.name())),
            start.toEpochSecond(), Optional.empty());
      }
    }
    return text.toString();
  }

  private interface Figure<T> {
    Optional<? extends Number> of(T item);
  }

  private static void containerFamily(PrometheusText text, List<PodStats> stats, PodIndex pods, String name,
      String type, String help, Figure<ContainerStats> figure) {
    boolean headerWritten = false;
    for (PodStats pod : stats) {
      Optional<V1Pod> apiPod = pods.find(pod);
      for (ContainerStats container : pod.containers()) {
        Optional<? extends Number> value = figure.of(container);
        if (value.isEmpty()) {
          continue;
        }
        if (!headerWritten) {
          text.family(name, type, help);
          headerWritten = true;
        }
        text.sample(name, labels(pod, container.name(), image(apiPod, container.name())),
            value.get().doubleValue(), Optional.of(container.time()));
      }
    }
  }

  /** Network figures are per pod: cAdvisor reports them on the pod's sandbox, container {@code POD}. */
  private static void podNetwork(PrometheusText text, List<PodStats> stats, String name, String help,
      Figure<PodStats> figure) {
    boolean headerWritten = false;
    for (PodStats pod : stats) {
      Optional<? extends Number> value = figure.of(pod);
      if (value.isEmpty()) {
        continue;
      }
      if (!headerWritten) {
        text.family(name, "counter", help);
        headerWritten = true;
      }
      text.sample(name, List.of("container", "POD", "interface", "eth0", "namespace", pod.namespace(),
          "pod", pod.name()), value.get().doubleValue(), Optional.of(pod.time()));
    }
  }

  private static List<String> labels(PodStats pod, String container, String image) {
    return List.of("container", container, "image", image, "namespace", pod.namespace(), "pod", pod.name());
  }

  private static String image(Optional<V1Pod> pod, String container) {
    return pod.filter(p -> p.getSpec() != null && p.getSpec().getContainers() != null)
        .flatMap(p -> p.getSpec().getContainers().stream().filter(c -> container.equals(c.getName())).findFirst())
        .map(V1Container::getImage)
        .filter(Objects::nonNull)
        .orElse("");
  }

  private static List<PodStats> podStats(Kubelet kubelet) throws HttpError, ProviderException {
    if (!(kubelet.provider() instanceof PodStatsSource source)) {
      throw HttpError.notImplemented("the provider does not report pod statistics");
    }
    List<PodStats> stats = source.podStats();
    return stats == null ? List.of() : stats;
  }
}
