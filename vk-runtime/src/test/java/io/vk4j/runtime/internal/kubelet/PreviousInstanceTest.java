package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.ContainerRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviousInstanceTest {

  private static V1Pod pod(String name, V1ContainerStatus status) {
    return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name(name))
        .status(new V1PodStatus().containerStatuses(List.of(status.name("main"))));
  }

  private final List<V1Pod> pods = List.of(
      pod("fresh", new V1ContainerStatus().restartCount(0)),
      pod("restarted", new V1ContainerStatus().restartCount(1)),
      pod("exited", new V1ContainerStatus().restartCount(0)
          .lastState(new V1ContainerState().terminated(new V1ContainerStateTerminated().exitCode(1)))));

  @Test
  void aContainerThatNeverTerminatedHasNoPreviousInstance() {
    assertThatThrownBy(() -> PreviousInstance.require(pods, ContainerRef.of("ns", "fresh", "main")))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("previous terminated container \"main\" in pod \"fresh\" not found");
  }

  @Test
  void aContainerThatRestartedOrTerminatedBeforeHasOne() throws Exception {
    PreviousInstance.require(pods, ContainerRef.of("ns", "restarted", "main"));
    PreviousInstance.require(pods, ContainerRef.of("ns", "exited", "main"));
  }

  @Test
  void whatIsNotKnownHereIsLeftToTheProvider() throws Exception {
    PreviousInstance.require(pods, ContainerRef.of("ns", "unknown", "main"));
    PreviousInstance.require(pods, ContainerRef.of("ns", "fresh", "sidecar"));
  }
}
