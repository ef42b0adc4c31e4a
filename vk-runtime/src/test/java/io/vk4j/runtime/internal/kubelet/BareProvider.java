package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.Provider;
import java.util.List;
import java.util.Optional;

/** Only the mandatory part of the SPI, doing nothing: no optional capability. */
class BareProvider implements Provider {
  @Override
  public void createPod(V1Pod pod) {}

  @Override
  public void updatePod(V1Pod pod) {}

  @Override
  public void deletePod(V1Pod pod) {}

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  public List<V1Pod> listPods() {
    return List.of();
  }
}
