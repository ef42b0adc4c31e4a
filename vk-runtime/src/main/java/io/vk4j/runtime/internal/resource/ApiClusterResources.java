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
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.env.EnvSources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Reads Secrets, ConfigMaps, Services and tokens from the API server when a pod needs them, and
 * keeps what it read for a few seconds in small bounded caches, so that a burst of pods referring
 * to the same objects costs one request. Absence is never kept: there is no watch that would say
 * when the object appears, so a pod created just after its Secret sees it. Never watches or lists
 * Secrets cluster-wide. Internal to vk4j; providers see it as {@link io.vk4j.api.ClusterResources}.
 *
 * <p>An RBAC denial (HTTP 403) is an {@link InvalidInputException} with reason {@code Forbidden}:
 * retrying does not help until someone grants the permission, and the pod fails saying which.
 */
public final class ApiClusterResources implements EnvSources {
  private static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";

  /** The reads behind the caches: the seam in front of the API server. Absent on 404. */
  interface Reads {
    Optional<V1Secret> secret(String namespace, String name) throws ApiException;

    Optional<V1ConfigMap> configMap(String namespace, String name) throws ApiException;

    Optional<V1Service> service(String namespace, String name) throws ApiException;

    List<V1Service> services(String namespace) throws ApiException;

    AuthenticationV1TokenRequest token(String namespace, String account, AuthenticationV1TokenRequest request)
        throws ApiException;
  }

  private final Reads reads;
  private final Cache<String, Optional<V1Secret>> secrets;
  private final Cache<String, Optional<V1ConfigMap>> configMaps;
  private final Cache<String, Optional<V1Service>> services;
  private final Cache<String, List<V1Service>> serviceLists;

  /**
   * @param ttl how long a read Secret or ConfigMap is reused
   * @param serviceTtl how long Services are reused (for service link variables, which a burst of
   *     pods in one namespace all need)
   * @param maxEntries the bound of each cache
   */
  public static ApiClusterResources create(ApiClient client, Duration ttl, Duration serviceTtl, int maxEntries) {
    CoreV1Api core = new CoreV1Api(client);
    return new ApiClusterResources(new Reads() {
      @Override
      public Optional<V1Secret> secret(String namespace, String name) throws ApiException {
        return ApiErrors.absentOn404(() -> core.readNamespacedSecret(name, namespace).execute());
      }

      @Override
      public Optional<V1ConfigMap> configMap(String namespace, String name) throws ApiException {
        return ApiErrors.absentOn404(() -> core.readNamespacedConfigMap(name, namespace).execute());
      }

      @Override
      public Optional<V1Service> service(String namespace, String name) throws ApiException {
        return ApiErrors.absentOn404(() -> core.readNamespacedService(name, namespace).execute());
      }

      @Override
      public List<V1Service> services(String namespace) throws ApiException {
        return List.copyOf(core.listNamespacedService(namespace).execute().getItems());
      }

      @Override
      public AuthenticationV1TokenRequest token(String namespace, String account, AuthenticationV1TokenRequest request)
          throws ApiException {
        return core.createNamespacedServiceAccountToken(account, namespace, request).execute();
      }
    }, ttl, serviceTtl, maxEntries);
  }

  ApiClusterResources(Reads reads, Duration ttl, Duration serviceTtl, int maxEntries) {
    this.reads = reads;
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
    return present(secrets, namespace + "/" + name, () -> reads.secret(namespace, name), "secret");
  }

  @Override
  public Optional<V1ConfigMap> configMap(String namespace, String name) throws ProviderException {
    return present(configMaps, namespace + "/" + name, () -> reads.configMap(namespace, name), "configmap");
  }

  @Override
  public Optional<V1Service> service(String namespace, String name) throws ProviderException {
    return present(services, namespace + "/" + name, () -> reads.service(namespace, name), "service");
  }

  @Override
  public List<V1Service> services(String namespace) throws ProviderException {
    try {
      return serviceLists.get(namespace, () -> reads.services(namespace));
    } catch (ExecutionException e) {
      throw failure("list", "services in namespace " + namespace, e.getCause());
    }
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
      AuthenticationV1TokenRequest answer = reads.token(meta.getNamespace(), account, request);
      if (answer.getStatus() == null || answer.getStatus().getToken() == null) {
        throw new RetryableException("TokenRequestFailed", "the API server returned no token for "
            + meta.getNamespace() + "/" + account);
      }
      return answer.getStatus().getToken();
    } catch (ApiException e) {
      throw failure("create", "serviceaccounts/token " + meta.getNamespace() + "/" + account, e);
    }
  }

  @Override
  public Optional<String> rootCaCertificate(String namespace) throws ProviderException {
    return configMap(namespace, ROOT_CA_CONFIG_MAP)
        .map(V1ConfigMap::getData)
        .map(data -> data.get("ca.crt"))
        .filter(ca -> !ca.isBlank());
  }


  /** A cached object; concurrent reads of one object share a request, and absence is not kept. */
  private static <V> Optional<V> present(Cache<String, Optional<V>> cache, String key,
      ApiErrors.Request<Optional<V>> load, String kind) throws ProviderException {
    try {
      Optional<V> value = cache.get(key, load::send);
      if (value.isEmpty()) {
        cache.invalidate(key);
      }
      return value;
    } catch (ExecutionException e) {
      throw failure("get", kind + " " + key, e.getCause());
    }
  }

  private static ProviderException failure(String verb, String what, Throwable cause) {
    if (ApiErrors.code(cause) == 403) {
      return new InvalidInputException("Forbidden", "the virtual node may not " + verb + " " + what
          + " (" + ApiErrors.describe(cause) + "); grant its service account that permission");
    }
    return new RetryableException("ApiReadFailed", "could not " + verb + " " + what + ": "
        + ApiErrors.describe(cause), null, cause);
  }
}
