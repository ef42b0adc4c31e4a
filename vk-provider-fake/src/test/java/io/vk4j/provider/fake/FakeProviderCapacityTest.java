package io.vk4j.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.RetryableException;
import io.vk4j.testkit.conformance.ConformancePods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FakeProviderCapacityTest {

  @Test
  void podsBeyondCapacityAreRefusedUntilOneEnds() throws Exception {
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ZERO).podCapacity(2).build())) {
      V1Pod first = Pods.pod();
      provider.createPod(ConformancePods.copy(first));
      provider.createPod(ConformancePods.copy(Pods.pod()));

      V1Pod third = Pods.pod();
      assertThatThrownBy(() -> provider.createPod(ConformancePods.copy(third)))
          .isInstanceOfSatisfying(RetryableException.class, e -> {
            assertThat(e.reason()).isEqualTo("OutOfCapacity");
            assertThat(e.getMessage()).contains("2 pods");
          });
      // a retried create of a pod already running is not a new pod
      provider.createPod(ConformancePods.copy(first));

      provider.deletePod(ConformancePods.markedForDeletion(first, 30));
      provider.createPod(ConformancePods.copy(third));
      assertThat(provider.listPods()).hasSize(3); // the deleted one is still known, terminal
    }
  }

  @Test
  void failureRateFailsThatShareOfCreatesRepeatablyForASeed() throws Exception {
    assertThat(failures(0.3, 7)).isEqualTo(failures(0.3, 7)).contains(true).contains(false);
    assertThat(failures(1.0, 7)).containsOnly(true);
    assertThat(failures(0.0, 7)).containsOnly(false);
  }

  private static List<Boolean> failures(double rate, long seed) throws Exception {
    List<Boolean> failed = new ArrayList<>();
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ZERO).failureRate(rate).seed(seed).build())) {
      for (int i = 0; i < 40; i++) {
        try {
          provider.createPod(Pods.pod());
          failed.add(false);
        } catch (RetryableException e) {
          assertThat(e.reason()).isEqualTo("FakeRandomFailure");
          failed.add(true);
        }
      }
    }
    return failed;
  }

  @Test
  void configureNodeReportsCapacityAddressesAndNodeInfo() {
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
        .podCapacity(500).cpuCapacity("64").memoryCapacity("256Gi").hostIp("192.0.2.10").build())) {
      V1Node node = new V1Node().metadata(new V1ObjectMeta().name("vk-fake").labels(Map.of("type", "virtual-kubelet")));

      provider.configureNode(node);

      assertThat(node.getStatus().getCapacity())
          .containsEntry("pods", new Quantity("500"))
          .containsEntry("cpu", Quantity.fromString("64"))
          .containsEntry("memory", Quantity.fromString("256Gi"));
      assertThat(node.getStatus().getAllocatable()).isEqualTo(node.getStatus().getCapacity());
      assertThat(node.getStatus().getAddresses()).extracting(V1NodeAddress::getType, V1NodeAddress::getAddress)
          .contains(tuple("InternalIP", "192.0.2.10"),
              tuple("Hostname", "vk-fake"));
      assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");
      assertThat(node.getMetadata().getLabels()).containsEntry("type", "virtual-kubelet")
          .containsEntry("kubernetes.io/os", "linux");
      assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.244.0.0/16");
    }
  }

  @Test
  void invalidOptionsAreRejected() {
    assertThatThrownBy(() -> FakeProviderOptions.builder().failureRate(1.5).build())
        .hasMessageContaining("failureRate");
    assertThatThrownBy(() -> FakeProviderOptions.builder().startDelay(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("startDelay");
    assertThatThrownBy(() -> FakeProviderOptions.builder().podCapacity(-1).build())
        .hasMessageContaining("podCapacity");
  }
}
