package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodEventRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event recorded, for assertions. */
final class RecordingEvents implements PodEventRecorder {
  record Event(String pod, String type, String reason, String message) {}

  final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void normal(V1Pod pod, String reason, String message) {
    events.add(new Event(pod.getMetadata().getName(), "Normal", reason, message));
  }

  @Override
  public void warning(V1Pod pod, String reason, String message) {
    events.add(new Event(pod.getMetadata().getName(), "Warning", reason, message));
  }

  List<Event> of(String pod) {
    return events.stream().filter(e -> e.pod().equals(pod)).toList();
  }
}
