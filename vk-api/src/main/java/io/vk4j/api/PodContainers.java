package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The containers of a pod, init containers included, as every part of a kubelet needs them. */
public final class PodContainers {
  private PodContainers() {}

  /** The init containers, then the containers, in the order they run; empty for a pod without spec. */
  public static List<V1Container> all(V1Pod pod) {
    if (pod.getSpec() == null) {
      return List.of();
    }
    List<V1Container> all = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    if (pod.getSpec().getContainers() != null) {
      all.addAll(pod.getSpec().getContainers());
    }
    return all;
  }

  /** The container or init container named {@code name}. */
  public static Optional<V1Container> named(V1Pod pod, String name) {
    return all(pod).stream().filter(c -> c.getName() != null && c.getName().equals(name)).findFirst();
  }
}
