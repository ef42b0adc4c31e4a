package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodRegistryTest {

  private static TrackedPod pod(PodRegistry registry, String name, String groupId) {
    TrackedPod pod = new TrackedPod("ns", name, name + "-uid", Instant.EPOCH);
    pod.groupId(groupId);
    registry.put(pod);
    return pod;
  }

  @Test
  void endedPodsAreKeptUpToCapacityOldestEvictedFirst() {
    PodRegistry registry = new PodRegistry(2);
    TrackedPod running = pod(registry, "running", "eci-0");
    for (int i = 1; i <= 3; i++) {
      TrackedPod ended = pod(registry, "done-" + i, "eci-" + i);
      ended.status(new V1PodStatus().phase("Succeeded"));
      registry.ended(ended);
    }
    assertThat(registry.get("ns", "done-1")).isEmpty();
    assertThat(registry.byGroupId("eci-1")).isEmpty();
    assertThat(registry.get("ns", "done-2")).isPresent();
    assertThat(registry.get("ns", "done-3")).isPresent();
    assertThat(registry.get("ns", "running")).containsSame(running);
  }

  @Test
  void aSuccessorOfTheSameNameReplacesItsPredecessor() {
    PodRegistry registry = new PodRegistry(10);
    pod(registry, "web", "eci-old");
    TrackedPod successor = new TrackedPod("ns", "web", "new-uid", Instant.EPOCH);
    successor.groupId("eci-new");
    registry.put(successor);
    assertThat(registry.get("ns", "web")).containsSame(successor);
    assertThat(registry.byGroupId("eci-old")).isEmpty();
    assertThat(registry.byGroupId("eci-new")).containsSame(successor);
  }
}
