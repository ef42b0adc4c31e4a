package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the provider knows about one pod and its container group. Mutated only while holding its
 * own monitor, so the poller and the runtime's workers see consistent state and status
 * notifications for one pod leave in order.
 */
final class TrackedPod {
  private static final int MAX_EVENTS_REMEMBERED = 200;

  final String namespace;
  final String name;
  final String uid;
  /** When this process started tracking it: a group younger than a grace is not declared vanished. */
  final Instant trackedSince;

  private String groupId;
  private V1Pod pod;
  private ContainerGroup lastGroup;
  private V1PodStatus lastStatus;
  private boolean deleted;
  private boolean eventsPrimed;
  private Instant lastFetched = Instant.EPOCH;
  /** Groups made for the pod before its current one (ECI could not schedule them). */
  private int generation;
  /** When a group ECI could not schedule is to be replaced; null when none is. */
  private Instant replaceAt;
  private final Map<String, Integer> eventCounts = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > MAX_EVENTS_REMEMBERED;
    }
  };

  TrackedPod(String namespace, String name, String uid, Instant trackedSince) {
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
    this.trackedSince = trackedSince;
  }

  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  String key() {
    return key(namespace, name);
  }

  synchronized Optional<String> groupId() {
    return Optional.ofNullable(groupId);
  }

  synchronized void groupId(String id) {
    this.groupId = id;
  }

  synchronized Optional<V1Pod> pod() {
    return Optional.ofNullable(pod);
  }

  synchronized void pod(V1Pod pod) {
    this.pod = pod;
  }

  synchronized Optional<ContainerGroup> lastGroup() {
    return Optional.ofNullable(lastGroup);
  }

  synchronized void lastGroup(ContainerGroup group, Instant fetched) {
    this.lastGroup = group;
    this.lastFetched = fetched;
  }

  synchronized Instant lastFetched() {
    return lastFetched;
  }

  synchronized int generation() {
    return generation;
  }

  /** Schedules the replacement of the current group, which ECI could not schedule. */
  synchronized void replaceAt(Instant at) {
    if (replaceAt == null) {
      generation++;
    }
    replaceAt = at;
  }

  synchronized Optional<Instant> replaceAt() {
    return Optional.ofNullable(replaceAt);
  }

  /** The pod has its replacement group. */
  synchronized void replaced(String newGroupId) {
    groupId = newGroupId;
    replaceAt = null;
  }

  synchronized Optional<V1PodStatus> lastStatus() {
    return Optional.ofNullable(lastStatus);
  }

  /** Records {@code status}; true when it differs from the last one. */
  synchronized boolean status(V1PodStatus status) {
    if (status.equals(lastStatus)) {
      return false;
    }
    lastStatus = status;
    return true;
  }

  synchronized boolean isTerminal() {
    return StatusMapper.isTerminal(lastStatus);
  }

  synchronized boolean isDeleted() {
    return deleted;
  }

  synchronized void markDeleted() {
    deleted = true;
  }

  /**
   * Whether an ECI event is new (or has recurred) since last seen. The first time a group adopted
   * from an earlier run is seen, its past events are only remembered, not reported again.
   */
  synchronized boolean isNewEvent(ContainerGroup.Event event, boolean adopted) {
    Integer previous = eventCounts.put(event.key(), event.count());
    if (adopted && !eventsPrimed) {
      return false;
    }
    return previous == null || previous < event.count();
  }

  synchronized void primeEvents() {
    eventsPrimed = true;
  }

  /** The identity the runtime needs in every pod the provider hands back. */
  V1ObjectMeta identity() {
    return new V1ObjectMeta().namespace(namespace).name(name).uid(uid);
  }
}
