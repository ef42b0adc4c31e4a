package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.PodStatusListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps every notified pod, in order. */
final class Recorder implements PodStatusListener {
  private final List<V1Pod> pods = new ArrayList<>();

  @Override
  public synchronized void podStatusChanged(V1Pod pod) {
    pods.add(pod);
  }

  synchronized List<V1PodStatus> statuses(String uid) {
    return pods.stream().filter(p -> p.getMetadata().getUid().equals(uid)).map(V1Pod::getStatus).toList();
  }

  synchronized V1PodStatus last(String uid) {
    List<V1PodStatus> all = statuses(uid);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  synchronized List<String> phases(String uid) {
    return statuses(uid).stream().map(V1PodStatus::getPhase).toList();
  }

  /** A one-line picture of each status of the first container, e.g. {@code Running:running:0}. */
  synchronized List<String> containerStates(String uid) {
    List<String> states = new ArrayList<>();
    for (V1PodStatus status : statuses(uid)) {
      V1ContainerStatus container = status.getContainerStatuses().get(0);
      states.add(status.getPhase() + ":" + state(container) + ":" + container.getRestartCount());
    }
    return states;
  }

  static String state(V1ContainerStatus container) {
    if (container.getState().getRunning() != null) {
      return "running";
    }
    if (container.getState().getTerminated() != null) {
      return "terminated(" + container.getState().getTerminated().getExitCode() + ")";
    }
    return "waiting(" + container.getState().getWaiting().getReason() + ")";
  }
}
