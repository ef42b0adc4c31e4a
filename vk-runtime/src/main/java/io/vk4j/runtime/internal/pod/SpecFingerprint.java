package io.vk4j.runtime.internal.pod;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;

/**
 * A hash of the parts of a pod a provider acts on (containers, init containers, active deadline,
 * tolerations, labels, annotations): an update reaches the provider only when it changes.
 */
final class SpecFingerprint {
  private SpecFingerprint() {}

  static int of(V1Pod pod) {
    JsonObject relevant = new JsonObject();
    if (pod.getSpec() != null) {
      relevant.add("containers", JSON.getGson().toJsonTree(pod.getSpec().getContainers()));
      relevant.add("initContainers", JSON.getGson().toJsonTree(pod.getSpec().getInitContainers()));
      relevant.add("activeDeadlineSeconds", JSON.getGson().toJsonTree(pod.getSpec().getActiveDeadlineSeconds()));
      relevant.add("tolerations", JSON.getGson().toJsonTree(pod.getSpec().getTolerations()));
    }
    relevant.add("labels", JSON.getGson().toJsonTree(pod.getMetadata().getLabels()));
    relevant.add("annotations", JSON.getGson().toJsonTree(pod.getMetadata().getAnnotations()));
    return relevant.toString().hashCode();
  }
}
