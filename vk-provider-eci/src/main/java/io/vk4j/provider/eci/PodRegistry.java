package io.vk4j.provider.eci;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider's cache of pods by name and by group id. Pods that ended stay here with their last
 * status after ECI purges their group (ECI keeps finished groups about an hour), until the runtime
 * deletes them or the oldest are evicted beyond {@code terminalCapacity}.
 */
final class PodRegistry {
  private final Map<String, TrackedPod> byKey = new ConcurrentHashMap<>();
  private final Map<String, TrackedPod> byGroupId = new ConcurrentHashMap<>();
  private final Deque<TrackedPod> terminalOrder = new ArrayDeque<>();
  private final int terminalCapacity;

  PodRegistry(int terminalCapacity) {
    this.terminalCapacity = terminalCapacity;
  }

  Optional<TrackedPod> get(String namespace, String name) {
    return Optional.ofNullable(byKey.get(TrackedPod.key(namespace, name)));
  }

  Optional<TrackedPod> byGroupId(String groupId) {
    return Optional.ofNullable(byGroupId.get(groupId));
  }

  /** Tracks {@code pod}, replacing a predecessor of the same name. */
  void put(TrackedPod pod) {
    TrackedPod previous = byKey.put(pod.key(), pod);
    if (previous != null && previous != pod) {
      previous.groupId().ifPresent(id -> byGroupId.remove(id, previous));
    }
    pod.groupId().ifPresent(id -> byGroupId.put(id, pod));
  }

  void indexGroup(TrackedPod pod, String groupId) {
    pod.groupId(groupId);
    if (byKey.get(pod.key()) == pod) {
      byGroupId.put(groupId, pod);
    }
  }

  /** {@code pod} now runs in {@code newGroupId}: its former group is no longer its. */
  void replaceGroup(TrackedPod pod, String oldGroupId, String newGroupId) {
    byGroupId.remove(oldGroupId, pod);
    pod.replaced(newGroupId);
    if (byKey.get(pod.key()) == pod) {
      byGroupId.put(newGroupId, pod);
    }
  }

  /** Remembers that {@code pod} ended; evicts the oldest ended pods beyond capacity. */
  synchronized void ended(TrackedPod pod) {
    terminalOrder.remove(pod);
    terminalOrder.addLast(pod);
    while (terminalOrder.size() > terminalCapacity) {
      TrackedPod oldest = terminalOrder.removeFirst();
      if (byKey.remove(oldest.key(), oldest)) {
        oldest.groupId().ifPresent(id -> byGroupId.remove(id, oldest));
      }
    }
  }

  Collection<TrackedPod> all() {
    return List.copyOf(byKey.values());
  }

  int size() {
    return byKey.size();
  }
}
