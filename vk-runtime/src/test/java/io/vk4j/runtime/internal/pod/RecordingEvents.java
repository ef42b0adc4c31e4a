package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodEventRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Events as {@code Type Reason: message} lines. */
final class RecordingEvents implements PodEventRecorder {
  final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void normal(V1Pod pod, String reason, String message) {
    lines.add("Normal " + reason + ": " + message);
  }

  @Override
  public void warning(V1Pod pod, String reason, String message) {
    lines.add("Warning " + reason + ": " + message);
  }

  List<String> reasons() {
    return lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
  }
}
