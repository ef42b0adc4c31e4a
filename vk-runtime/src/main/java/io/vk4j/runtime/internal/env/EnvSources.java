package io.vk4j.runtime.internal.env;

import io.kubernetes.client.openapi.models.V1Service;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.ProviderException;
import java.util.List;
import java.util.Optional;

/**
 * Where env resolution reads Secrets, ConfigMaps and Services from. Internal to vk4j; implemented by
 * the runtime's on-demand lookup of the API server.
 */
public interface EnvSources extends ClusterResources {

  /** The Services of one namespace, for service link variables. */
  List<V1Service> services(String namespace) throws ProviderException;

  /** One Service, for the {@code kubernetes} service of the {@code default} namespace. */
  Optional<V1Service> service(String namespace, String name) throws ProviderException;
}
