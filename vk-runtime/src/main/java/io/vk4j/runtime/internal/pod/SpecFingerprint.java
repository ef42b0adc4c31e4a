package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Objects;

/**
 * A hash of the parts of a pod a provider acts on (containers, init containers, active deadline,
 * tolerations, labels, annotations): an update reaches the provider only when it changes. The
 * models' own value hashes, computed without building anything: it runs on every watch event and
 * every reconcile.
 */
final class SpecFingerprint {
  private SpecFingerprint() {}

  static int of(V1Pod pod) {
    int hash = Objects.hash(pod.getMetadata().getLabels(), pod.getMetadata().getAnnotations());
    if (pod.getSpec() != null) {
      hash = 31 * hash + Objects.hash(pod.getSpec().getContainers(), pod.getSpec().getInitContainers(),
          pod.getSpec().getActiveDeadlineSeconds(), pod.getSpec().getTolerations());
    }
    return hash;
  }
}
