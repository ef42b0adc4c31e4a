package io.vk4j.runtime.internal.node;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.Provider;
import io.vk4j.api.RetryableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A provider for the node's tests: its CPU capacity, and a ping that answers, fails or hangs as told. */
final class NodeTestProvider implements Provider {
  enum Ping { ANSWERS, FAILS, HANGS }

  volatile String cpu = "8";
  volatile Ping ping = Ping.ANSWERS;
  /** Ends every hanging ping. */
  final CountDownLatch release = new CountDownLatch(1);

  @Override
  public void configureNode(V1Node node) {
    node.getStatus().setCapacity(Map.of("cpu", Quantity.fromString(cpu), "pods", Quantity.fromString("100")));
  }

  @Override
  public void ping() throws RetryableException {
    switch (ping) {
      case FAILS -> throw new RetryableException("BackendDown", "backend unreachable");
      case HANGS -> {
        try {
          release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      case ANSWERS -> { }
    }
  }

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
