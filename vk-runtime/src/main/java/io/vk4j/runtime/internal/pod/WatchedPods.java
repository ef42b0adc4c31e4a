package io.vk4j.runtime.internal.pod;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.runtime.internal.client.ListWatch;
import io.vk4j.runtime.internal.client.WatchCache;
import java.time.Duration;
import java.util.Collection;

/** The {@link PodCache} of a running node: a {@link WatchCache} of the pods bound to it. */
final class WatchedPods implements PodCache {
  /**
   * The longest pause between attempts to reach a failing API server: once it answers again, the
   * cache (and with it every pod's status) catches up within this.
   */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final String nodeName;
  private final ListWatch<V1Pod> source;
  private volatile WatchCache<V1Pod> cache;

  WatchedPods(String nodeName, ListWatch<V1Pod> source) {
    this.nodeName = nodeName;
    this.source = source;
  }

  @Override
  public void start(Handler handler) {
    cache = new WatchCache<>("pods on node " + nodeName, source, new WatchCache.Handler<>() {
      @Override
      public void upserted(V1Pod old, V1Pod current) {
        handler.upserted(old, current);
      }

      @Override
      public void deleted(V1Pod gone) {
        handler.deleted(gone);
      }
    }, MAX_BACKOFF, new ThreadFactoryBuilder().setNameFormat(nodeName + "-pod-watch").setDaemon(true).build());
    cache.start();
  }

  @Override
  public boolean synced() {
    return cache != null && cache.synced();
  }

  @Override
  public V1Pod get(String key) {
    return cache == null ? null : cache.get(key);
  }

  @Override
  public Collection<V1Pod> pods() {
    return cache == null ? java.util.List.of() : cache.values();
  }

  @Override
  public void offer(V1Pod newer) {
    if (cache != null) {
      cache.offer(newer);
    }
  }

  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
  }
}
