package io.vk4j.api;

import java.util.List;

/**
 * Optional capability: resource usage of the provider's pods. The runtime serves it as the
 * kubelet's {@code /stats/summary} and {@code /metrics/resource}, which metrics-server reads.
 */
public interface PodStatsSource {

  /**
   * The latest usage of every running pod. Called from the kubelet API's request threads, typically
   * every 15 to 60 seconds; may return cached figures.
   */
  List<PodStats> podStats() throws ProviderException;
}
