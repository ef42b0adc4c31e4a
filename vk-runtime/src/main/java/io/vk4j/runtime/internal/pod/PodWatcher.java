package io.vk4j.runtime.internal.pod;

import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Watch;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an up-to-date cache of the pods bound to one node: a paginated list, then a watch from its
 * resourceVersion with bookmarks; a watch that expires (HTTP 410) leads to a fresh list, whose
 * differences are reported like watch events. {@code managedFields} are dropped to save memory.
 */
final class PodWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodWatcher.class);
  // events are read as JSON first: a BOOKMARK's pod has "containers": null, which the V1Pod model rejects
  private static final Type EVENT_TYPE = new TypeToken<Watch.Response<JsonObject>>() {}.getType();
  private static final int PAGE_SIZE = 500;

  /** Receives changes of the cache, from the watcher's thread. */
  interface Handler {
    /** {@code old} is {@code null} for a pod seen for the first time. */
    void upserted(V1Pod old, V1Pod pod);

    void deleted(V1Pod pod);
  }

  private final ApiClient client;
  private final CoreV1Api core;
  private final OkHttpClient watchHttp;
  private final String fieldSelector;
  private final Handler handler;
  private final Thread thread;
  private final Map<String, V1Pod> cache = new ConcurrentHashMap<>();
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile Watch<JsonObject> current;

  PodWatcher(ApiClient client, String nodeName, Handler handler) {
    this.client = client;
    this.core = new CoreV1Api(client);
    // a watch stays open for minutes: a client of its own with a read timeout longer than that
    this.watchHttp = client.getHttpClient().newBuilder().readTimeout(Duration.ofMinutes(12)).build();
    this.fieldSelector = "spec.nodeName=" + nodeName;
    this.handler = handler;
    this.thread = new Thread(this::run, nodeName + "-pod-watch");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Whether the cache holds everything the API server had at one moment since start. */
  boolean synced() {
    return synced;
  }

  V1Pod get(String key) {
    return cache.get(key);
  }

  Collection<V1Pod> pods() {
    return cache.values();
  }

  /**
   * Replaces the cached pod with a newer version the runtime received in a write response, so
   * that it does not act on a stale copy before the watch catches up.
   */
  void offer(V1Pod newer) {
    strip(newer);
    cache.computeIfPresent(Pods.key(newer), (k, old) ->
        Pods.uid(old).equals(Pods.uid(newer)) && newerThan(newer, old) ? newer : old);
  }

  private static boolean newerThan(V1Pod a, V1Pod b) {
    try {
      return Long.parseLong(a.getMetadata().getResourceVersion())
          > Long.parseLong(b.getMetadata().getResourceVersion());
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  private void run() {
    long backoffMillis = 100;
    while (!closed) {
      try {
        String resourceVersion = relist();
        backoffMillis = 100;
        watch(resourceVersion);
      } catch (Gone e) {
        log.debug("watch of {} expired, listing again", fieldSelector);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        log.warn("pod watch of {} failed, retrying in {} ms: {}", fieldSelector, backoffMillis, describe(e));
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 10_000);
      }
    }
  }

  private String relist() throws ApiException {
    Map<String, V1Pod> listed = new HashMap<>();
    String continueToken = null;
    String resourceVersion;
    do {
      V1PodList page = core.listPodForAllNamespaces()
          .fieldSelector(fieldSelector).limit(PAGE_SIZE)._continue(continueToken).execute();
      for (V1Pod pod : page.getItems()) {
        strip(pod);
        listed.put(Pods.key(pod), pod);
      }
      resourceVersion = page.getMetadata().getResourceVersion();
      continueToken = page.getMetadata().getContinue();
    } while (continueToken != null && !continueToken.isEmpty());

    for (Map.Entry<String, V1Pod> cached : cache.entrySet()) {
      if (!listed.containsKey(cached.getKey())) {
        V1Pod gone = cache.remove(cached.getKey());
        if (gone != null) {
          handler.deleted(gone);
        }
      }
    }
    for (V1Pod pod : listed.values()) {
      V1Pod old = cache.get(Pods.key(pod));
      if (old != null && !Pods.uid(old).equals(Pods.uid(pod))) {
        cache.remove(Pods.key(pod));
        handler.deleted(old);
        old = null;
      }
      if (old == null || !old.getMetadata().getResourceVersion().equals(pod.getMetadata().getResourceVersion())) {
        cache.put(Pods.key(pod), pod);
        handler.upserted(old, pod);
      }
    }
    synced = true;
    return resourceVersion;
  }

  private void watch(String resourceVersion) throws Exception {
    String rv = resourceVersion;
    while (!closed) {
      int timeout = 300 + ThreadLocalRandom.current().nextInt(300);
      Call call = core.listPodForAllNamespaces()
          .fieldSelector(fieldSelector).watch(true).allowWatchBookmarks(true)
          .resourceVersion(rv).timeoutSeconds(timeout).buildCall(null);
      Call longCall = watchHttp.newCall(call.request());
      Watch<JsonObject> watch;
      try {
        watch = Watch.createWatch(client, longCall, EVENT_TYPE);
      } catch (ApiException e) {
        if (e.getCode() == 410) {
          throw new Gone();
        }
        throw e;
      }
      current = watch;
      try (watch) {
        for (Watch.Response<JsonObject> event : watch) {
          rv = apply(event, rv);
        }
      } finally {
        current = null;
      }
    }
  }

  private String apply(Watch.Response<JsonObject> event, String rv) throws Gone {
    switch (event.type) {
      case "ADDED", "MODIFIED" -> {
        V1Pod pod = JSON.getGson().fromJson(event.object, V1Pod.class);
        strip(pod);
        String key = Pods.key(pod);
        V1Pod old = cache.put(key, pod);
        if (old != null && !Pods.uid(old).equals(Pods.uid(pod))) {
          handler.deleted(old);
          old = null;
        }
        handler.upserted(old, pod);
        return pod.getMetadata().getResourceVersion();
      }
      case "DELETED" -> {
        V1Pod pod = JSON.getGson().fromJson(event.object, V1Pod.class);
        strip(pod);
        cache.computeIfPresent(Pods.key(pod), (k, old) -> Pods.uid(old).equals(Pods.uid(pod)) ? null : old);
        handler.deleted(pod);
        return pod.getMetadata().getResourceVersion();
      }
      case "BOOKMARK" -> {
        return event.object.getAsJsonObject("metadata").get("resourceVersion").getAsString();
      }
      case "ERROR" -> {
        if (event.status != null && Integer.valueOf(410).equals(event.status.getCode())) {
          throw new Gone();
        }
        throw new IllegalStateException("watch error: " + (event.status == null ? "?" : event.status.getMessage()));
      }
      default -> {
        return rv;
      }
    }
  }

  private static void strip(V1Pod pod) {
    if (pod.getMetadata() != null) {
      pod.getMetadata().setManagedFields(null);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof ApiException api) {
      return "HTTP " + api.getCode() + " " + (api.getResponseBody() == null ? api.getMessage() : api.getResponseBody());
    }
    return e.toString();
  }

  @Override
  public void close() {
    closed = true;
    Watch<JsonObject> watch = current;
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.debug("closing watch", e);
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
