package io.vk4j.testkit.conformance;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodStatusListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every notification a provider sends, per pod (namespace and name), with the JSON of the
 * pod as it was received (to find pods mutated after they were handed over), and the contract
 * violations seen on the way (pods without namespace or name).
 */
final class StatusRecorder implements PodStatusListener {
  /** One notification: the pod object and its JSON when it arrived. */
  record Notification(V1Pod pod, String json) {}

  private final Map<String, List<Notification>> byPod = new ConcurrentHashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();

  @Override
  public void podStatusChanged(V1Pod pod) {
    if (pod == null || pod.getMetadata() == null || pod.getMetadata().getNamespace() == null
        || pod.getMetadata().getName() == null) {
      violations.add("a notified pod lacks metadata.namespace or name: "
          + (pod == null ? "null" : JSON.serialize(pod.getMetadata())));
      return;
    }
    List<Notification> list = byPod.computeIfAbsent(key(pod), k -> new ArrayList<>());
    Notification notification = new Notification(pod, JSON.serialize(pod));
    synchronized (list) {
      list.add(notification);
    }
  }

  /** The notifications of one pod so far, in the order they arrived. */
  List<Notification> of(V1Pod pod) {
    List<Notification> list = byPod.get(key(pod));
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return new ArrayList<>(list);
    }
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
