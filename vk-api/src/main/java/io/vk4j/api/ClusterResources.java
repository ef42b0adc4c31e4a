package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the cluster objects a pod's volumes and pull secrets refer to. The runtime fetches
 * them on demand and keeps those it found for a few seconds, never their absence, so a provider
 * needs no cluster-wide cache and sees an object as soon as it exists. Calls block on the API
 * server; call them from the provider's pod methods, not from callbacks.
 *
 * <p>Failures: an RBAC denial (HTTP 403) is an {@link InvalidInputException} with reason
 * {@code Forbidden}, naming what the node may not read: retrying does not help until someone grants
 * the permission, so a provider that lets it propagate from {@link Provider#createPod} gets the
 * pod marked Failed with a Warning Event. Any other failure to reach the API server is a
 * {@link RetryableException}.
 */
public interface ClusterResources {

  /** The Secret, or empty when it does not exist. */
  Optional<V1Secret> secret(String namespace, String name) throws ProviderException;

  /** The ConfigMap, or empty when it does not exist. */
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
