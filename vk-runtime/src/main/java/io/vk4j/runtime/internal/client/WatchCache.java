package io.vk4j.runtime.internal.client;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An up-to-date cache of the objects a {@link ListWatch} selects: a paginated list, then a watch from
 * its resourceVersion with bookmarks. A watch that expires (HTTP 410, or an ERROR event saying so)
 * leads to a fresh list, whose differences from the cache are reported like watch events; any other
 * failure is retried with backoff. {@code managedFields} are dropped to save memory. Internal to vk4j.
 */
public final class WatchCache<T extends KubernetesObject> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  /** Receives the changes of the cache, on the cache's thread. */
  public interface Handler<T> {
    /** {@code old} is {@code null} for an object seen for the first time (or a new UID under a known name). */
    void upserted(T old, T current);

    void deleted(T gone);
  }

  private final String what;
  private final ListWatch<T> source;
  private final Handler<T> handler;
  private final Duration maxBackoff;
  private final Thread thread;
  private final Map<String, T> cache = new ConcurrentHashMap<>();
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile ListWatch.Events<T> current;

  /**
   * @param what names the objects in logs, for example {@code pods on node vk-1}
   * @param maxBackoff the longest pause between attempts while the API server fails: how long a
   *     recovered API server may wait for the cache to catch up
   */
  public WatchCache(String what, ListWatch<T> source, Handler<T> handler, Duration maxBackoff, ThreadFactory threads) {
    this.what = what;
    this.source = source;
    this.handler = handler;
    this.maxBackoff = maxBackoff;
    this.thread = threads.newThread(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Whether the cache holds everything the API server had at one moment since start. */
  public boolean synced() {
    return synced;
  }

  /** The object of {@code key} ({@code namespace/name}, or the name of a cluster-scoped object). */
  public T get(String key) {
    return cache.get(key);
  }

  /** Every cached object; a live view, not to be modified. */
  public Collection<T> values() {
    return cache.values();
  }

  /**
   * Replaces the cached object by a newer version received in a write response, so that nobody
   * acts on a stale copy before the watch catches up.
   */
  public void offer(T newer) {
    strip(newer);
    cache.computeIfPresent(key(newer), (k, old) ->
        Objects.equals(uid(old), uid(newer)) && newerThan(newer, old) ? newer : old);
  }

  /** {@code namespace/name}, or the name of a cluster-scoped object. */
  public static String key(KubernetesObject object) {
    V1ObjectMeta meta = object.getMetadata();
    return meta.getNamespace() == null ? meta.getName() : meta.getNamespace() + "/" + meta.getName();
  }

  private static String uid(KubernetesObject object) {
    return object.getMetadata().getUid();
  }

  private static boolean newerThan(KubernetesObject a, KubernetesObject b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion()) > Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      try {
        String resourceVersion = relist();
        backoff = FIRST_BACKOFF;
        watch(resourceVersion);
      } catch (Gone e) {
        log.debug("watch of {} expired, listing again", what);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        log.warn("watch of {} failed, retrying in {} ms: {}", what, backoff.toMillis(), ApiErrors.describe(e));
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
  }

  private String relist() throws Exception {
    Map<String, T> listed = new HashMap<>();
    String continueToken = null;
    String resourceVersion;
    do {
      ListWatch.Page<T> page = source.list(continueToken);
      for (T object : page.items()) {
        strip(object);
        listed.put(key(object), object);
      }
      resourceVersion = page.resourceVersion();
      continueToken = page.continueToken();
    } while (continueToken != null && !continueToken.isEmpty());

    for (Map.Entry<String, T> cached : cache.entrySet()) {
      if (!listed.containsKey(cached.getKey())) {
        T gone = cache.remove(cached.getKey());
        if (gone != null) {
          handler.deleted(gone);
        }
      }
    }
    for (T object : listed.values()) {
      T old = cache.get(key(object));
      if (old != null && !Objects.equals(uid(old), uid(object))) {
        cache.remove(key(object));
        handler.deleted(old);
        old = null;
      }
      if (old == null || !Objects.equals(old.getMetadata().getResourceVersion(), object.getMetadata().getResourceVersion())) {
        cache.put(key(object), object);
        handler.upserted(old, object);
      }
    }
    synced = true;
    return resourceVersion;
  }

  private void watch(String resourceVersion) throws Exception {
    String rv = resourceVersion;
    while (!closed) {
      ListWatch.Events<T> events;
      try {
        events = source.watch(rv);
      } catch (io.kubernetes.client.openapi.ApiException e) {
        if (e.getCode() == 410) {
          throw new Gone();
        }
        throw e;
      }
      current = events;
      try (events) {
        for (ListWatch.Event<T> event = events.next(); event != null; event = events.next()) {
          rv = apply(event, rv);
        }
      } finally {
        current = null;
      }
    }
  }

  private String apply(ListWatch.Event<T> event, String rv) throws Gone {
    switch (event.type()) {
      case "ADDED", "MODIFIED" -> {
        T object = event.object();
        strip(object);
        String key = key(object);
        T old = cache.put(key, object);
        if (old != null && !Objects.equals(uid(old), uid(object))) {
          handler.deleted(old);
          old = null;
        }
        handler.upserted(old, object);
        return object.getMetadata().getResourceVersion();
      }
      case "DELETED" -> {
        T object = event.object();
        strip(object);
        cache.computeIfPresent(key(object), (k, old) -> Objects.equals(uid(old), uid(object)) ? null : old);
        handler.deleted(object);
        return object.getMetadata().getResourceVersion();
      }
      case "BOOKMARK" -> {
        return event.resourceVersion();
      }
      case "ERROR" -> {
        if (event.status() != null && Integer.valueOf(410).equals(event.status().getCode())) {
          throw new Gone();
        }
        throw new IllegalStateException("watch error: " + (event.status() == null ? "no status" : event.status().getMessage()));
      }
      default -> {
        return rv;
      }
    }
  }

  private static void strip(KubernetesObject object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
  }

  @Override
  public void close() {
    closed = true;
    ListWatch.Events<T> events = current;
    if (events != null) {
      try {
        events.close();
      } catch (Exception e) {
        log.debug("closing the watch of {}", what, e);
      }
    }
    thread.interrupt();
  }

  /** The watch's resourceVersion is too old: list again. */
  private static final class Gone extends Exception {
    private static final long serialVersionUID = 1L;

    Gone() {
      super(null, null, false, false);
    }
  }
}
