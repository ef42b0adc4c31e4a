package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerRef;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The kubelet's rule for {@code kubectl logs --previous}: a container that has neither restarted nor
 * terminated before has no previous instance, whatever the provider would return for it.
 */
final class PreviousInstance {
  private PreviousInstance() {}

  /**
   * @param pods the node's pods as the API server has them
   * @throws HttpError 400 in the kubelet's words when {@code container} has no previous instance; a
   *     pod or container not known here is left for the provider to answer
   */
  static void require(List<V1Pod> pods, ContainerRef container) throws HttpError {
    for (V1Pod pod : pods) {
      if (pod.getMetadata() == null || pod.getStatus() == null
          || !container.namespace().equals(pod.getMetadata().getNamespace())
          || !container.podName().equals(pod.getMetadata().getName())) {
        continue;
      }
      V1ContainerStatus status = Stream.of(pod.getStatus().getContainerStatuses(),
              pod.getStatus().getInitContainerStatuses())
          .filter(Objects::nonNull)
          .flatMap(List::stream)
          .filter(s -> container.containerName().equals(s.getName()))
          .findFirst()
          .orElse(null);
      if (status == null) {
        return;
      }
      boolean restarted = status.getRestartCount() != null && status.getRestartCount() > 0;
      boolean terminatedBefore = status.getLastState() != null && status.getLastState().getTerminated() != null;
      if (!restarted && !terminatedBefore) {
        throw HttpError.badRequest("previous terminated container \"" + container.containerName() + "\" in pod \""
            + container.podName() + "\" not found");
      }
      return;
    }
  }
}
