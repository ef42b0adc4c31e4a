package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodStats;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pods of the node, looked up by the UID (or else the name) that the provider reports. */
final class PodIndex {
  private final Map<String, V1Pod> byUid = new HashMap<>();
  private final Map<String, V1Pod> byName = new HashMap<>();

  PodIndex(List<V1Pod> pods) {
    for (V1Pod pod : pods) {
      if (pod.getMetadata() == null) {
        continue;
      }
      if (pod.getMetadata().getUid() != null) {
        byUid.put(pod.getMetadata().getUid(), pod);
      }
      byName.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod);
    }
  }

  Optional<V1Pod> find(PodStats stats) {
    V1Pod pod = byUid.get(stats.uid());
    return Optional.ofNullable(pod != null ? pod : byName.get(stats.namespace() + "/" + stats.name()));
  }

  static Map<String, OffsetDateTime> containerStartTimes(V1Pod pod) {
    Map<String, OffsetDateTime> started = new HashMap<>();
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (V1ContainerStatus status : pod.getStatus().getContainerStatuses()) {
        if (status.getState() != null && status.getState().getRunning() != null
            && status.getState().getRunning().getStartedAt() != null) {
          started.put(status.getName(), status.getState().getRunning().getStartedAt());
        }
      }
    }
    return started;
  }
}
