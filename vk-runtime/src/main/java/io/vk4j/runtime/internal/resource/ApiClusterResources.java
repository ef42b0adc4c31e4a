package io.vk4j.runtime.internal.resource;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1BoundObjectReference;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.runtime.internal.env.EnvSources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * Reads Secrets, ConfigMaps, Services and tokens from the API server when a pod needs them, and
 * keeps what it read for a few seconds in small bounded caches, so that a burst of pods referring
 * to the same objects costs one request. Never watches or lists Secrets cluster-wide. Internal to
 * vk4j; providers see it as {@link io.vk4j.api.ClusterResources}.
 */
public final class ApiClusterResources implements EnvSources {
  private static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";

  private final CoreV1Api core;
  private final Cache<String, Optional<V1Secret>> secrets;
  private final Cache<String, Optional<V1ConfigMap>> configMaps;
  private final Cache<String, Optional<V1Service>> services;
  private final Cache<String, List<V1Service>> serviceLists;

  /**
   * @param ttl how long a read Secret or ConfigMap (or its absence) is reused
   * @param serviceTtl how long Services are reused (for service link variables, which a burst of
   *     pods in one namespace all need)
   * @param maxEntries the bound of each cache
   */
  public ApiClusterResources(ApiClient client, Duration ttl, Duration serviceTtl, int maxEntries) {
    this.core = new CoreV1Api(client);
    this.secrets = cache(ttl, maxEntries);
    this.configMaps = cache(ttl, maxEntries);
    this.services = cache(serviceTtl, maxEntries);
    this.serviceLists = CacheBuilder.newBuilder().expireAfterWrite(serviceTtl).maximumSize(64).build();
  }

  private static <V> Cache<String, V> cache(Duration ttl, int maxEntries) {
    return CacheBuilder.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
  }

  @Override
  public Optional<V1Secret> secret(String namespace, String name) throws ProviderException {
    return cached(secrets, namespace + "/" + name,
        () -> absentOn404(() -> core.readNamespacedSecret(name, namespace).execute()), "Secret");
  }

  @Override
  public Optional<V1ConfigMap> configMap(String namespace, String name) throws ProviderException {
    return cached(configMaps, namespace + "/" + name,
        () -> absentOn404(() -> core.readNamespacedConfigMap(name, namespace).execute()), "ConfigMap");
  }

  @Override
  public Optional<V1Service> service(String namespace, String name) throws ProviderException {
    return cached(services, namespace + "/" + name,
        () -> absentOn404(() -> core.readNamespacedService(name, namespace).execute()), "Service");
  }

  @Override
  public List<V1Service> services(String namespace) throws ProviderException {
    return cached(serviceLists, namespace,
        () -> List.copyOf(core.listNamespacedService(namespace).execute().getItems()), "Service list");
  }

  @Override
  public String serviceAccountToken(V1Pod pod, List<String> audiences, Duration expiration)
      throws ProviderException {
    V1ObjectMeta meta = pod.getMetadata();
    String account = pod.getSpec() == null || pod.getSpec().getServiceAccountName() == null
        ? "default" : pod.getSpec().getServiceAccountName();
    AuthenticationV1TokenRequest request = new AuthenticationV1TokenRequest()
        .metadata(new V1ObjectMeta().name(account).namespace(meta.getNamespace()))
        .spec(new V1TokenRequestSpec()
            .audiences(audiences)
            .expirationSeconds(Math.max(600, expiration.toSeconds()))
            .boundObjectRef(new V1BoundObjectReference()
                .apiVersion("v1").kind("Pod").name(meta.getName()).uid(meta.getUid())));
    try {
      AuthenticationV1TokenRequest answer =
          core.createNamespacedServiceAccountToken(account, meta.getNamespace(), request).execute();
      if (answer.getStatus() == null || answer.getStatus().getToken() == null) {
        throw new RetryableException("TokenRequestFailed", "the API server returned no token for "
            + meta.getNamespace() + "/" + account);
      }
      return answer.getStatus().getToken();
    } catch (ApiException e) {
      throw failure("token of service account " + meta.getNamespace() + "/" + account, e);
    }
  }

  @Override
  public Optional<String> rootCaCertificate(String namespace) throws ProviderException {
    return configMap(namespace, ROOT_CA_CONFIG_MAP)
        .map(V1ConfigMap::getData)
        .map(data -> data.get("ca.crt"))
        .filter(ca -> !ca.isBlank());
  }

  private interface Read<T> {
    T read() throws ApiException;
  }

  private static <T> Optional<T> absentOn404(Read<T> read) throws ApiException {
    try {
      return Optional.of(read.read());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static <V> V cached(Cache<String, V> cache, String key, Callable<V> load, String what)
      throws ProviderException {
    try {
      return cache.get(key, load);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiException api) {
        throw failure(what + " " + key, api);
      }
      throw new RetryableException("ApiReadFailed", "could not read " + what + " " + key + ": "
          + e.getCause(), null, e.getCause());
    }
  }

  private static ProviderException failure(String what, ApiException e) {
    return new RetryableException("ApiReadFailed", "could not read " + what + ": HTTP " + e.getCode()
        + (e.getResponseBody() == null ? " " + e.getMessage() : " " + e.getResponseBody()), null, e);
  }
}
