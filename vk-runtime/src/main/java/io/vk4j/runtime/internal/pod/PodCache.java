package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Pod;
import java.util.Collection;

/** The pods bound to this node as the API server has them: the seam in front of the pod watch. */
interface PodCache extends AutoCloseable {

  /** Receives the changes of the cache, from the cache's thread. */
  interface Handler {
    /** {@code old} is {@code null} for a pod seen for the first time. */
    void upserted(V1Pod old, V1Pod pod);

    void deleted(V1Pod pod);
  }

  /** Starts filling the cache; {@code handler} hears of every change. */
  void start(Handler handler);

  /** Whether the cache holds everything the API server had at one moment since start. */
  boolean synced();

  /** The pod of {@code namespace/name}, or {@code null}. */
  V1Pod get(String key);

  /** Every cached pod: shared objects, not to be modified. */
  Collection<V1Pod> pods();

  /** A newer version of a pod, from a write response: replaces the cached one when it is newer. */
  void offer(V1Pod newer);

  @Override
  void close();
}
