package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Pod;

/** Receives pod status changes from a {@link PodNotifier}. */
@FunctionalInterface
public interface PodStatusListener {

  /**
   * Signals that the status of a pod changed. The runtime queues the pod and a worker then reads
   * its current state with {@link Provider#getPod}: the status it writes is always getPod's, and
   * notifications that come faster than the workers are coalesced. {@code pod.metadata} must carry
   * the namespace and name (and should carry the UID); {@code pod.status} is not used. Never
   * blocks; may be called from any thread.
   */
  void podStatusChanged(V1Pod pod);
}
