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
import java.util.concurrent.TimeUnit;
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
  private final ApiClient client;
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
    this.client = client;
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
    Optional<Map<String, String>> cached = cachedLabelsOf(namespace);
    return cached.isPresent() ? cached : fetch(namespace, deadlineNanos);
  }

  @Override
  public Optional<Map<String, String>> cachedLabelsOf(String namespace) {
    V1Namespace watched = lister.get(namespace);
    if (watched != null) {
      return Optional.of(labels(watched));
    }
    return Optional.ofNullable(fetched.getIfPresent(namespace));
  }

  /** One GET on the caller's thread, cut off by OkHttp's call timeout at the admission deadline. */
  private Optional<Map<String, String>> fetch(String namespace, long deadlineNanos) {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return Optional.empty();
    }
    try {
      okhttp3.Call call = core.readNamespace(namespace).buildCall(null);
      call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
      Map<String, String> labels = labels(client.<V1Namespace>execute(call, V1Namespace.class).getData());
      fetched.put(namespace, labels);
      return Optional.of(labels);
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        LOG.warn("reading namespace {} failed before the admission deadline: {}", namespace,
            e.getCode() == 0 ? String.valueOf(e.getCause()) : "HTTP " + e.getCode());
      }
      return Optional.empty();
    }
  }

  private static Map<String, String> labels(V1Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata() == null ? null : namespace.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public void close() {
    factory.stopAllRegisteredInformers(true);
  }
}
