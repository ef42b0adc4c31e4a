package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.vk4j.api.ClusterResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Cluster objects held in memory; tokens name the pod and audiences they were issued for. */
final class FakeClusterResources implements ClusterResources {
  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

  private final Map<String, V1Secret> secrets = new ConcurrentHashMap<>();
  private final Map<String, V1ConfigMap> configMaps = new ConcurrentHashMap<>();
  final Map<String, Duration> tokenRequests = new ConcurrentHashMap<>();

  FakeClusterResources secret(String namespace, String name, Map<String, String> data) {
    Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
    data.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    secrets.put(namespace + "/" + name, new V1Secret().metadata(new V1ObjectMeta().namespace(namespace).name(name))
        .data(bytes));
    return this;
  }

  FakeClusterResources configMap(String namespace, String name, Map<String, String> data, Map<String, byte[]> binary) {
    configMaps.put(namespace + "/" + name, new V1ConfigMap().metadata(new V1ObjectMeta().namespace(namespace)
        .name(name)).data(data).binaryData(binary));
    return this;
  }

  @Override
  public Optional<V1Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  @Override
  public Optional<V1ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(configMaps.get(namespace + "/" + name));
  }

  @Override
  public String serviceAccountToken(V1Pod pod, List<String> audiences, Duration expiration) {
    tokenRequests.put(pod.getMetadata().getName(), expiration);
    return "token-for-" + pod.getMetadata().getName() + (audiences.isEmpty() ? "" : "-" + String.join(",", audiences));
  }

  @Override
  public Optional<String> rootCaCertificate(String namespace) {
    return Optional.of(CA);
  }
}
