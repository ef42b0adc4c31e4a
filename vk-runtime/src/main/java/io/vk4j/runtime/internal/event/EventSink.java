package io.vk4j.runtime.internal.event;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.CoreV1Event;

/** Where the recorder writes Events: the seam in front of the API server. */
interface EventSink {

  void create(CoreV1Event event) throws ApiException, InterruptedException;

  /** A JSON merge patch of an existing Event. */
  void patch(String namespace, String name, String mergePatch) throws ApiException, InterruptedException;
}
