package io.vk4j.examples.bench;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Watch;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the pods of one namespace and notes, with {@link System#nanoTime()}, when each pod is
 * first seen Running in the API, and which pods are gone.
 */
final class PodPhaseWatch implements AutoCloseable {
  private final CoreV1Api core;
  private final ApiClient client;
  private final String namespace;
  private final Map<String, Long> runningAt = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Watch<V1Pod> current;

  PodPhaseWatch(ApiClient client, String namespace) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.namespace = namespace;
    this.thread = new Thread(this::run, "bench-watch-" + namespace);
    thread.setDaemon(true);
    thread.start();
  }

  String namespace() {
    return namespace;
  }

  Map<String, Long> runningAt() {
    return runningAt;
  }

  int runningCount() {
    return runningAt.size();
  }

  int deletedCount() {
    return deleted.size();
  }

  /** Blocks until {@code count} pods were seen Running; false on timeout. */
  boolean awaitRunning(int count, Duration timeout) throws InterruptedException {
    return await(() -> runningAt.size() >= count, timeout);
  }

  boolean awaitDeleted(int count, Duration timeout) throws InterruptedException {
    return await(() -> deleted.size() >= count, timeout);
  }

  private static boolean await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void run() {
    while (!closed) {
      try {
        V1PodList list = core.listNamespacedPod(namespace).execute();
        list.getItems().forEach(this::observe);
        String version = list.getMetadata().getResourceVersion();
        try (Watch<V1Pod> watch = Watch.createWatch(client,
            core.listNamespacedPod(namespace).watch(true).resourceVersion(version).timeoutSeconds(600)
                .buildCall(null),
            new TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
          current = watch;
          for (Watch.Response<V1Pod> event : watch) {
            if (event.object == null) {
              break; // an ERROR event (410 Gone...): list again
            }
            if (event.type.equals("DELETED")) {
              deleted.add(event.object.getMetadata().getName());
            } else {
              observe(event.object);
            }
          }
        }
      } catch (ApiException | java.io.IOException | RuntimeException e) {
        if (!closed) {
          System.err.println("bench watch of " + namespace + " restarts: " + e);
        }
      }
    }
  }

  private void observe(V1Pod pod) {
    if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
      runningAt.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
    }
  }

  @Override
  public void close() {
    closed = true;
    Watch<V1Pod> watch = current;
    if (watch != null) {
      try {
        watch.close();
      } catch (java.io.IOException e) {
        // the watch thread is a daemon; it ends with the process at the latest
      }
    }
    thread.interrupt();
  }
}
