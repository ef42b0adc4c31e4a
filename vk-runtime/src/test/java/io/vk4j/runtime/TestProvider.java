package io.vk4j.runtime;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.NodeChangeListener;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.provider.fake.FakeProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FakeProvider} seen through a wrapper that counts creates and deletes, can make ping
 * fail, and survives {@link #close()} so that a second runtime can take the same pods over.
 */
final class TestProvider implements Provider, PodNotifier {
  final FakeProvider fake;
  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final Set<String> deletedUids = ConcurrentHashMap.newKeySet();
  volatile boolean pingFails;
  /** listPods fails, as ECI's does with a wrong secret key. */
  volatile boolean listFails;
  /** Pods (namespace/name) the backend has lost: getPod and listPods no longer return them. */
  final Set<String> lost = ConcurrentHashMap.newKeySet();
  /** Labels the provider adds to its Node. */
  final java.util.Map<String, String> nodeLabels = new ConcurrentHashMap<>();

  TestProvider(FakeProvider fake) {
    this.fake = fake;
  }

  @Override
  public void notifyPods(PodStatusListener listener) {
    fake.notifyPods(listener);
  }

  @Override
  public void createPod(V1Pod pod) throws ProviderException {
    creates.incrementAndGet();
    fake.createPod(pod);
  }

  @Override
  public void updatePod(V1Pod pod) throws ProviderException {
    fake.updatePod(pod);
  }

  @Override
  public void deletePod(V1Pod pod) throws ProviderException {
    deletes.incrementAndGet();
    deletedUids.add(pod.getMetadata().getUid());
    fake.deletePod(pod);
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) throws ProviderException {
    if (lost.contains(namespace + "/" + name)) {
      return Optional.empty();
    }
    return fake.getPod(namespace, name);
  }

  @Override
  public List<V1Pod> listPods() throws ProviderException {
    if (listFails) {
      throw new RetryableException("InvalidAccessKeySecret", "the test switched listing off");
    }
    return fake.listPods().stream()
        .filter(p -> !lost.contains(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()))
        .toList();
  }

  @Override
  public void configureNode(V1Node node) {
    fake.configureNode(node);
    nodeLabels.forEach(node.getMetadata()::putLabelsItem);
  }

  @Override
  public void ping() throws ProviderException {
    if (pingFails) {
      throw new RetryableException("BackendDown", "the test switched ping off");
    }
    fake.ping();
  }

  @Override
  public void notifyNodeChanges(NodeChangeListener listener) {
    fake.notifyNodeChanges(listener);
  }

  /** Keeps the fake's pods: the test closes {@link #fake} itself. */
  @Override
  public void close() {}
}
