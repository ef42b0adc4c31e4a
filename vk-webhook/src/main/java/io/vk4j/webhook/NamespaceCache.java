package io.vk4j.webhook;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespace labels from a watch-backed informer (list + watch, re-list on expiry). A namespace the
 * informer has not seen yet (created a moment ago) is read once with a GET, bounded by the
 * admission deadline, and remembered briefly until the watch catches up.
 */
final class NamespaceCache implements NamespaceLabels, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NamespaceCache.class);
  private static final Duration FALLBACK_TTL = Duration.ofSeconds(30);

  private final SharedInformerFactory factory;
  private final SharedIndexInformer<V1Namespace> informer;
  private final Lister<V1Namespace> lister;
  private final CoreV1Api core;
  private final ExecutorService lookups;
  private final Cache<String, Map<String, String>> fetched =
      CacheBuilder.newBuilder().expireAfterWrite(FALLBACK_TTL).maximumSize(10_000).build();

  /** @param client its read timeout is set to zero: the watch is a long poll (GETs are bounded by deadlines) */
  NamespaceCache(ApiClient client) {
    client.setReadTimeout(0);
    this.factory = new SharedInformerFactory(client);
    GenericKubernetesApi<V1Namespace, V1NamespaceList> api =
        new GenericKubernetesApi<>(V1Namespace.class, V1NamespaceList.class, "", "v1", "namespaces", client);
    this.informer = factory.sharedIndexInformerFor(api, V1Namespace.class, 0L);
    this.lister = new Lister<>(informer.getIndexer());
    this.core = new CoreV1Api(client);
    this.lookups = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "vk-webhook-namespace-get");
      thread.setDaemon(true);
      return thread;
    });
  }

  void start() {
    factory.startAllRegisteredInformers();
  }

  @Override
  public boolean synced() {
    return informer.hasSynced();
  }

  /** What the watch has delivered so far, without the GET fallback. */
  Optional<Map<String, String>> watchedLabels(String namespace) {
    return Optional.ofNullable(lister.get(namespace)).map(NamespaceCache::labels);
  }

  @Override
  public Optional<Map<String, String>> labelsOf(String namespace, long deadlineNanos) {
    V1Namespace cached = lister.get(namespace);
    if (cached != null) {
      return Optional.of(labels(cached));
    }
    Map<String, String> recent = fetched.getIfPresent(namespace);
    if (recent != null) {
      return Optional.of(recent);
    }
    return fetch(namespace, deadlineNanos);
  }

  private Optional<Map<String, String>> fetch(String namespace, long deadlineNanos) {
    Future<Optional<Map<String, String>>> call = lookups.submit(() -> {
      try {
        return Optional.of(labels(core.readNamespace(namespace).execute()));
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return Optional.<Map<String, String>>empty();
        }
        throw e;
      }
    });
    try {
      Optional<Map<String, String>> labels = call.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      labels.ifPresent(found -> fetched.put(namespace, found));
      return labels;
    } catch (TimeoutException e) {
      call.cancel(true);
      LOG.warn("reading namespace {} did not finish before the admission deadline", namespace);
    } catch (ExecutionException e) {
      LOG.warn("reading namespace {} failed: {}", namespace, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static Map<String, String> labels(V1Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata() == null ? null : namespace.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers(true);
    lookups.shutdownNow();
  }
}
