package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider whose answers the test sets: the pods it has (with the status the test gives them),
 * and failures to throw from the next calls of each method.
 */
final class ScriptedProvider implements Provider {
  final Map<String, V1Pod> pods = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final Queue<ProviderException> createFailures = new ConcurrentLinkedQueue<>();
  final Queue<ProviderException> updateFailures = new ConcurrentLinkedQueue<>();
  final Queue<ProviderException> deleteFailures = new ConcurrentLinkedQueue<>();
  final Queue<ProviderException> listFailures = new ConcurrentLinkedQueue<>();
  /** Runs inside createPod, before it returns: a test makes it block, for example. */
  volatile Runnable duringCreate = () -> {};

  @Override
  public void createPod(V1Pod pod) throws ProviderException {
    calls.add("create " + Pods.key(pod));
    duringCreate.run();
    throwNext(createFailures);
    pods.putIfAbsent(Pods.key(pod), pod);
  }

  @Override
  public void updatePod(V1Pod pod) throws ProviderException {
    calls.add("update " + Pods.key(pod));
    throwNext(updateFailures);
    V1Pod old = pods.get(Pods.key(pod));
    pod.setStatus(old == null ? null : old.getStatus());
    pods.put(Pods.key(pod), pod);
  }

  @Override
  public void deletePod(V1Pod pod) throws ProviderException {
    calls.add("delete " + Pods.key(pod));
    throwNext(deleteFailures);
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    V1Pod pod = pods.get(namespace + "/" + name);
    return Optional.ofNullable(pod == null ? null : JSON.deserialize(JSON.serialize(pod), V1Pod.class));
  }

  @Override
  public List<V1Pod> listPods() throws ProviderException {
    calls.add("list");
    throwNext(listFailures);
    return new ArrayList<>(pods.values());
  }

  /** Gives the provider's pod {@code key} this status. */
  void report(String key, V1PodStatus status) {
    pods.get(key).setStatus(status);
  }

  private static void throwNext(Queue<ProviderException> failures) throws ProviderException {
    ProviderException next = failures.poll();
    if (next != null) {
      throw next;
    }
  }
}
