package io.vk4j.runtime.internal.env;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.vk4j.api.ProviderException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The cluster objects env resolution reads, in memory; every read fails with {@link #failure} when it is set. */
public final class InMemorySources implements EnvSources {
  public final Map<String, V1Secret> secrets = new HashMap<>();
  public final Map<String, V1ConfigMap> configMaps = new HashMap<>();
  public final Map<String, List<V1Service>> services = new HashMap<>();
  public volatile ProviderException failure;

  private void check() throws ProviderException {
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public Optional<V1Secret> secret(String namespace, String name) throws ProviderException {
    check();
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  @Override
  public Optional<V1ConfigMap> configMap(String namespace, String name) throws ProviderException {
    check();
    return Optional.ofNullable(configMaps.get(namespace + "/" + name));
  }

  @Override
  public String serviceAccountToken(V1Pod pod, List<String> audiences, Duration expiration) {
    return "token";
  }

  @Override
  public Optional<String> rootCaCertificate(String namespace) {
    return Optional.empty();
  }

  @Override
  public List<V1Service> services(String namespace) throws ProviderException {
    check();
    return services.getOrDefault(namespace, List.of());
  }

  @Override
  public Optional<V1Service> service(String namespace, String name) throws ProviderException {
    return services(namespace).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst();
  }
}
