package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;

/** Small facts about pods that several classes of this package need. */
final class Pods {
  private Pods() {}

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  static String key(V1Pod pod) {
    return key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  static String uid(V1Pod pod) {
    return pod.getMetadata() == null ? null : pod.getMetadata().getUid();
  }

  static boolean isTerminal(V1PodStatus status) {
    return status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()));
  }

  static boolean isTerminal(V1Pod pod) {
    return isTerminal(pod.getStatus());
  }

  /** A deep copy, for handing a pod to the provider, which owns what it receives. */
  static V1Pod copy(V1Pod pod) {
    return ModelCopy.of(pod);
  }
}
