package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bodies of {@code /pods} and {@code /runningpods/}: pods as the API server has them, never the
 * provider's copies, which carry resolved environment values (Secrets among them).
 */
final class PodListing {
  private PodListing() {}

  /** The pods bound to the node, from the runtime's watch cache. */
  static String pods(List<V1Pod> podsOnNode) {
    return JSON.serialize(list(podsOnNode));
  }

  /**
   * The provider's pods that are not Succeeded or Failed, each as the API server has it; a pod the
   * API server does not know (any more) is shown by name, UID and container images only.
   */
  static String running(Provider provider, List<V1Pod> podsOnNode) throws ProviderException {
    Map<String, V1Pod> known = new HashMap<>();
    for (V1Pod pod : podsOnNode) {
      known.put(key(pod), pod);
    }
    List<V1Pod> running = provider.listPods().stream()
        .filter(Objects::nonNull)
        .filter(pod -> pod.getMetadata() != null && !terminal(pod))
        .map(pod -> {
          V1Pod inApi = known.get(key(pod));
          return inApi != null && Objects.equals(uid(inApi), uid(pod)) ? inApi : outline(pod);
        })
        .toList();
    return JSON.serialize(list(running));
  }

  private static V1PodList list(List<V1Pod> pods) {
    return new V1PodList().apiVersion("v1").kind("PodList").metadata(new V1ListMeta()).items(pods);
  }

  /** Names and images only: nothing of the spec that may hold a value. */
  private static V1Pod outline(V1Pod pod) {
    V1PodSpec spec = new V1PodSpec();
    if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      for (V1Container container : pod.getSpec().getContainers()) {
        spec.addContainersItem(new V1Container().name(container.getName()).image(container.getImage()));
      }
    }
    return new V1Pod().metadata(new V1ObjectMeta()
            .namespace(pod.getMetadata().getNamespace())
            .name(pod.getMetadata().getName())
            .uid(pod.getMetadata().getUid()))
        .spec(spec);
  }

  private static boolean terminal(V1Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static String uid(V1Pod pod) {
    return pod.getMetadata().getUid();
  }
}
