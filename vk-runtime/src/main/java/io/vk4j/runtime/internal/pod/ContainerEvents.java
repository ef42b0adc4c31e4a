package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The container lifecycle Events a kubelet records, read from what changed between two statuses of
 * a pod: {@code Created} and {@code Started} for every new container instance, {@code BackOff} for a
 * container waiting to be restarted or for an image, {@code Failed} for a container that cannot be
 * created or pulled. Repeats carry the same message, so the recorder aggregates them.
 */
final class ContainerEvents {
  private static final Set<String> FAILURES = Set.of("ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
      "CreateContainerError", "RunContainerError", "CreateContainerConfigError");

  record Event(boolean warning, String reason, String message) {}

  private ContainerEvents() {}

  static List<Event> between(V1Pod pod, V1PodStatus before, V1PodStatus after) {
    List<Event> events = new ArrayList<>();
    Map<String, V1ContainerStatus> previous = byName(before);
    for (V1ContainerStatus now : statuses(after)) {
      V1ContainerStatus then = previous.get(now.getName());
      String name = now.getName();
      String instance = PodStatuses.instance(now.getState());
      if (instance != null && !instance.equals(then == null ? null : PodStatuses.instance(then.getState()))
          && !instance.equals(then == null ? null : PodStatuses.instance(then.getLastState()))) {
        events.add(new Event(false, "Created", "Created container " + name));
        events.add(new Event(false, "Started", "Started container " + name));
      }
      String waiting = waitingReason(now.getState());
      boolean newlyWaiting = then == null || !Objects.equals(waiting, waitingReason(then.getState()))
          || !Objects.equals(now.getRestartCount(), then.getRestartCount());
      if (waiting == null || !newlyWaiting) {
        continue;
      }
      if (waiting.equals("CrashLoopBackOff")) {
        events.add(new Event(true, "BackOff", "Back-off restarting failed container " + name + " in pod "
            + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")"));
      } else if (waiting.equals("ImagePullBackOff")) {
        events.add(new Event(false, "BackOff", "Back-off pulling image \"" + now.getImage() + "\""));
        events.add(new Event(true, "Failed", "Error: ImagePullBackOff"));
      } else if (FAILURES.contains(waiting)) {
        String message = now.getState().getWaiting().getMessage();
        events.add(new Event(true, "Failed", "Error: " + waiting + (message == null || message.isBlank() ? "" : ": " + message)));
      }
    }
    return events;
  }

  private static String waitingReason(V1ContainerState state) {
    return state == null || state.getWaiting() == null ? null : state.getWaiting().getReason();
  }

  private static Map<String, V1ContainerStatus> byName(V1PodStatus status) {
    Map<String, V1ContainerStatus> map = new HashMap<>();
    statuses(status).forEach(s -> map.put(s.getName(), s));
    return map;
  }

  private static List<V1ContainerStatus> statuses(V1PodStatus status) {
    List<V1ContainerStatus> all = new ArrayList<>();
    if (status != null && status.getInitContainerStatuses() != null) {
      all.addAll(status.getInitContainerStatuses());
    }
    if (status != null && status.getContainerStatuses() != null) {
      all.addAll(status.getContainerStatuses());
    }
    return all;
  }
}
