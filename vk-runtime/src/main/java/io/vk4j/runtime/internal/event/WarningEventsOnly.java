package io.vk4j.runtime.internal.event;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodEventRecorder;

/** Passes Warnings on and drops Normal Events, for nodes that record only what needs attention. Internal to vk4j. */
public final class WarningEventsOnly implements PodEventRecorder {
  private final PodEventRecorder events;

  public WarningEventsOnly(PodEventRecorder events) {
    this.events = events;
  }

  @Override
  public void normal(V1Pod pod, String reason, String message) {
    // not recorded
  }

  @Override
  public void warning(V1Pod pod, String reason, String message) {
    events.warning(pod, reason, message);
  }
}
