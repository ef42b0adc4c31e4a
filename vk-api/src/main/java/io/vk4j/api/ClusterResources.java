package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the cluster objects a pod's volumes and pull secrets refer to. The runtime fetches
 * them on demand and keeps only those its pods use, so a provider never needs a cluster-wide cache.
 * Calls block on the API server; call them from the provider's pod methods, not from callbacks.
 */
public interface ClusterResources {

  Optional<V1Secret> secret(String namespace, String name) throws ProviderException;

  Optional<V1ConfigMap> configMap(String namespace, String name) throws ProviderException;

  /**
   * A service-account token bound to {@code pod}, as the kubelet asks for it for projected
   * {@code serviceAccountToken} volumes (the TokenRequest API).
   *
   * @param audiences the token's audiences; empty means the API server's
   */
  String serviceAccountToken(V1Pod pod, List<String> audiences, Duration expiration)
      throws ProviderException;

  /** The CA bundle of the API server ({@code kube-root-ca.crt}), for projected volumes. */
  Optional<String> rootCaCertificate(String namespace) throws ProviderException;
}
