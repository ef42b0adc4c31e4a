package io.vk4j.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Taint;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeTemplateTest {
  private static final NodeSettings.Taint OURS = new NodeSettings.Taint("virtual-kubelet.io/provider", "fake", "NoSchedule");

  private static NodeSettings settings(Optional<NodeSettings.Taint> taint) {
    return new NodeSettings("vk-1", "fake", taint, Duration.ofSeconds(40), Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(5), true, "10.1.1.1", "linux", 10250, "1.0");
  }

  private static Provider provider() {
    return new Provider() {
      @Override public void createPod(io.kubernetes.client.openapi.models.V1Pod pod) {}
      @Override public void updatePod(io.kubernetes.client.openapi.models.V1Pod pod) {}
      @Override public void deletePod(io.kubernetes.client.openapi.models.V1Pod pod) {}
      @Override public Optional<io.kubernetes.client.openapi.models.V1Pod> getPod(String ns, String name) {
        return Optional.empty();
      }
      @Override public List<io.kubernetes.client.openapi.models.V1Pod> listPods() throws ProviderException {
        return List.of();
      }
      @Override public void configureNode(V1Node node) {
        node.getMetadata().putLabelsItem("type", "provider-tries-to-override");
        node.getMetadata().putLabelsItem("zone", "a");
        node.getStatus().setCapacity(Map.of("cpu", Quantity.fromString("64"), "pods", Quantity.fromString("500")));
      }
    };
  }

  @Test
  void runtimeLabelsTaintAndEndpointsOverTheProvidersPart() {
    V1Node node = NodeTemplate.build(settings(Optional.of(OURS)), provider(), "v1.20.2-vk4j-1.0");
    assertThat(node.getMetadata().getLabels()).containsEntry("type", "virtual-kubelet")
        .containsEntry("kubernetes.io/role", "agent").containsEntry("kubernetes.io/hostname", "vk-1")
        .containsEntry("kubernetes.io/os", "linux").containsEntry("zone", "a");
    assertThat(node.getSpec().getTaints()).extracting(V1Taint::getKey, V1Taint::getValue, V1Taint::getEffect)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "fake", "NoSchedule"));
    assertThat(node.getStatus().getAllocatable()).containsKeys("cpu", "pods");
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    assertThat(node.getStatus().getAddresses()).anySatisfy(a -> {
      assertThat(a.getType()).isEqualTo("InternalIP");
      assertThat(a.getAddress()).isEqualTo("10.1.1.1");
    });
    assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.20.2-vk4j-1.0");
  }

  @Test
  void noTaintWhenDisabled() {
    assertThat(NodeTemplate.build(settings(Optional.empty()), provider(), "v").getSpec().getTaints()).isNull();
  }

  @Test
  void ourTaintIsAddedWithoutLosingOthers() {
    V1Taint theirs = new V1Taint().key("dedicated").value("gpu").effect("NoExecute");
    assertThat(NodeTemplate.withOurTaint(List.of(theirs), OURS))
        .extracting(V1Taint::getKey).containsExactly("dedicated", "virtual-kubelet.io/provider");
    assertThat(NodeTemplate.withOurTaint(List.of(theirs, NodeTemplate.taint(OURS)), OURS)).isNull();
    assertThat(NodeTemplate.withOurTaint(null, OURS)).hasSize(1);
  }

  @Test
  void healthyConditionsCoverEveryKubeletCondition() {
    var now = java.time.OffsetDateTime.now();
    assertThat(NodeTemplate.conditions(now, now, null)).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactlyInAnyOrder("Ready=True", "MemoryPressure=False", "DiskPressure=False",
            "PIDPressure=False", "NetworkUnavailable=False");
  }
}
