package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.runtime.internal.env.EnvResolver;
import io.vk4j.runtime.internal.env.InMemorySources;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods and statuses for the pod package's unit tests. */
final class TestPods {
  static final OffsetDateTime T0 = OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC);

  private TestPods() {}

  /** A pod bound to vk-1 with one container {@code main}, as the API server has it before any status. */
  static V1Pod pod(String name) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().namespace("ns").name(name).uid("uid-" + name).resourceVersion("1")
            .labels(new HashMap<>()))
        .spec(new V1PodSpec().nodeName("vk-1")
            .containers(new ArrayList<>(List.of(new V1Container().name("main").image("nginx:1.25")))))
        .status(new V1PodStatus().phase("Pending"));
  }

  static V1Pod withStatus(V1Pod pod, V1PodStatus status) {
    V1Pod copy = Pods.copy(pod);
    copy.setStatus(status);
    return copy;
  }

  /** Running since {@code started}, Ready. */
  static V1PodStatus running(OffsetDateTime started, int restarts) {
    return new V1PodStatus().phase("Running").startTime(started).podIP("10.0.0.5")
        .conditions(List.of(condition("Ready", "True", started), condition("ContainersReady", "True", started)))
        .containerStatuses(List.of(container(new V1ContainerState().running(new V1ContainerStateRunning()
            .startedAt(started)), restarts, true)));
  }

  /** Waiting with {@code reason}. */
  static V1PodStatus waiting(String phase, String reason, int restarts) {
    return new V1PodStatus().phase(phase).startTime(T0)
        .conditions(List.of(condition("Ready", "False", T0)))
        .containerStatuses(List.of(container(new V1ContainerState().waiting(new V1ContainerStateWaiting()
            .reason(reason).message(reason + " for a test")), restarts, false)));
  }

  static V1PodCondition condition(String type, String status, OffsetDateTime since) {
    return new V1PodCondition().type(type).status(status).lastTransitionTime(since);
  }

  private static V1ContainerStatus container(V1ContainerState state, int restarts, boolean ready) {
    return new V1ContainerStatus().name("main").image("nginx:1.25").imageID("").ready(ready)
        .restartCount(restarts).state(state);
  }

  /** Env resolution with nothing in the cluster. */
  static EnvResolver env() {
    return new EnvResolver(new InMemorySources(), Map::of);
  }
}
