package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Pod;

/** Receives pod status changes from a {@link PodNotifier}. */
@FunctionalInterface
public interface PodStatusListener {

  /**
   * Reports the current status of a pod. {@code pod.metadata} must carry the namespace, name and
   * UID of the pod as it was created (the UID tells a pod from a successor of the same name);
   * {@code pod.status} is the new status. The runtime only queues the change: this never blocks,
   * and it may be called from any thread. The pod must not be mutated afterwards.
   */
  void podStatusChanged(V1Pod pod);
}
