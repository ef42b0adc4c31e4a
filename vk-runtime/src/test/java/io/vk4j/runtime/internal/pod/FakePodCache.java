package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pod cache the test fills; changes reach the handler on the test's thread, like watch events. */
final class FakePodCache implements PodCache {
  private final Map<String, V1Pod> pods = new ConcurrentHashMap<>();
  final List<V1Pod> offered = new CopyOnWriteArrayList<>();
  private volatile Handler handler;
  volatile boolean synced = true;

  @Override
  public void start(Handler handler) {
    this.handler = handler;
  }

  /** A pod added or changed in the API server. */
  void put(V1Pod pod) {
    V1Pod old = pods.put(Pods.key(pod), pod);
    if (handler != null) {
      handler.upserted(old, pod);
    }
  }

  /** A pod removed from the API server. */
  void remove(V1Pod pod) {
    pods.remove(Pods.key(pod));
    if (handler != null) {
      handler.deleted(pod);
    }
  }

  @Override
  public boolean synced() {
    return synced;
  }

  @Override
  public V1Pod get(String key) {
    return pods.get(key);
  }

  @Override
  public Collection<V1Pod> pods() {
    return pods.values();
  }

  @Override
  public void offer(V1Pod newer) {
    offered.add(newer);
    pods.put(Pods.key(newer), newer);
  }

  @Override
  public void close() {}
}
