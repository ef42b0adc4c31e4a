package io.vk4j.testkit.example;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.custom.Quantity;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The README's example: a provider whose pods run the moment they are created. */
public final class InstantProvider implements Provider, PodNotifier {
  private final Map<String, V1Pod> pods = new ConcurrentHashMap<>();
  private volatile PodStatusListener listener = pod -> {};

  @Override
  public void notifyPods(PodStatusListener listener) {
    this.listener = listener;
  }

  @Override
  public void createPod(V1Pod pod) {
    V1Pod running = withStatus(pod, "Running", new V1ContainerState().running(
        new V1ContainerStateRunning().startedAt(OffsetDateTime.now())));
    if (pods.putIfAbsent(key(pod), running) == null) { // a retried create changes nothing
      listener.podStatusChanged(running);
    }
  }

  @Override
  public void updatePod(V1Pod pod) {
    pods.computeIfPresent(key(pod), (key, old) -> withStatus(pod, "Running", old.getStatus()
        .getContainerStatuses().get(0).getState()));
  }

  @Override
  public void deletePod(V1Pod pod) {
    V1Pod removed = pods.remove(key(pod));
    if (removed != null) {
      listener.podStatusChanged(withStatus(removed, "Succeeded", new V1ContainerState().terminated(
          new V1ContainerStateTerminated().exitCode(0).reason("Completed").finishedAt(OffsetDateTime.now()))));
    }
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name));
  }

  @Override
  public List<V1Pod> listPods() {
    return List.copyOf(pods.values());
  }

  @Override
  public void configureNode(V1Node node) {
    Map<String, Quantity> capacity = Map.of(
        "cpu", Quantity.fromString("100"), "memory", Quantity.fromString("400Gi"), "pods", Quantity.fromString("1000"));
    node.getStatus().capacity(capacity).allocatable(capacity);
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** A new pod object, so that one handed to the runtime is never changed afterwards. */
  private static V1Pod withStatus(V1Pod pod, String phase, V1ContainerState state) {
    V1ObjectMeta meta = pod.getMetadata();
    return new V1Pod().metadata(meta).spec(pod.getSpec()).status(new V1PodStatus()
        .phase(phase)
        .podIP("10.0.0.1")
        .startTime(OffsetDateTime.now())
        .containerStatuses(pod.getSpec().getContainers().stream()
            .map(c -> new V1ContainerStatus().name(c.getName()).image(c.getImage()).imageID(c.getImage())
                .ready("Running".equals(phase)).restartCount(0).state(state))
            .toList()));
  }
}
