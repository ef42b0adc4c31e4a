package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.Optional;

/** The runtime's only writes of pods: the seam in front of the API server for the reconciler. */
interface PodStatusWriter {

  /**
   * Replaces the status of {@code pod} (this UID only). Returns the pod as written (the status sent,
   * the resource version the write gave it), or empty when the pod is gone or was replaced by a
   * successor of the same name.
   */
  Optional<V1Pod> writeStatus(V1Pod pod, V1PodStatus status) throws ApiException, InterruptedException;

  /** Removes {@code pod} (this UID only) from the API server at once; gone already is fine. */
  void delete(V1Pod pod) throws ApiException, InterruptedException;
}
