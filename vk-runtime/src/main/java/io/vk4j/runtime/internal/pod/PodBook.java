package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's memory of pods beyond the watch cache: a {@link PodRecord} per UID, and the last
 * state of pods removed from the API server whose provider side is not cleaned up yet
 * ("tombstones"), by key and UID so that a successor of the same name is never confused with them.
 */
final class PodBook {
  private final Map<String, PodRecord> records = new ConcurrentHashMap<>();
  private final Map<String, Map<String, V1Pod>> tombstones = new ConcurrentHashMap<>();

  PodRecord recordOf(V1Pod pod) {
    return records.computeIfAbsent(Pods.uid(pod), uid -> new PodRecord());
  }

  PodRecord record(String uid) {
    return records.get(uid);
  }

  /** Remembers a pod removed from the API server until its provider side is gone. */
  void bury(V1Pod pod) {
    tombstones.computeIfAbsent(Pods.key(pod), k -> new ConcurrentHashMap<>()).put(Pods.uid(pod), pod);
  }

  /** The removed pods of {@code key} still to clean up, or {@code null}. */
  Map<String, V1Pod> tombstones(String key) {
    return tombstones.get(key);
  }

  /** Drops everything about the pod {@code uid}, which is gone from the API server and the provider. */
  void forget(String key, String uid) {
    records.remove(uid);
    tombstones.computeIfPresent(key, (k, byUid) -> {
      byUid.remove(uid);
      return byUid.isEmpty() ? null : byUid;
    });
  }
}
