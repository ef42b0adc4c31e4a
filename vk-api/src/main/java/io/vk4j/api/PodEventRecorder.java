package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Pod;

/**
 * Records core/v1 Events on pods, as a provider sees fit (for example events of the backend itself).
 * Repeats of the same event are aggregated by the runtime. Never blocks.
 */
public interface PodEventRecorder {

  void normal(V1Pod pod, String reason, String message);

  void warning(V1Pod pod, String reason, String message);
}
