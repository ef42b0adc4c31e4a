package io.vk4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownwardApiTest {
  private final V1Container container = new V1Container().name("c").resources(new V1ResourceRequirements()
      .limits(Map.of("cpu", Quantity.fromString("1500m"), "memory", Quantity.fromString("1Gi")))
      .requests(Map.of("cpu", Quantity.fromString("250m"), "memory", Quantity.fromString("100Mi"))));
  private final Map<String, Quantity> allocatable = Map.of(
      "cpu", Quantity.fromString("8"), "memory", Quantity.fromString("32Gi"),
      "ephemeral-storage", Quantity.fromString("100Gi"));

  private String value(String resource, String divisor) {
    V1ResourceFieldSelector selector = new V1ResourceFieldSelector().resource(resource);
    if (divisor != null) {
      selector.divisor(Quantity.fromString(divisor));
    }
    return DownwardApi.resourceValue(selector, container, allocatable);
  }

  @Test
  void fieldsOfThePod() {
    V1Pod pod = new V1Pod()
        .metadata(new V1ObjectMeta().name("web").namespace("shop").uid("u-1")
            .labels(Map.of("b", "2", "a", "say \"hi\"")).annotations(Map.of("note", "x")))
        .spec(new V1PodSpec().nodeName("vk-1").containers(List.of(container)));

    assertThat(DownwardApi.fieldValue(pod, "metadata.name")).isEqualTo("web");
    assertThat(DownwardApi.fieldValue(pod, "metadata.namespace")).isEqualTo("shop");
    assertThat(DownwardApi.fieldValue(pod, "metadata.uid")).isEqualTo("u-1");
    assertThat(DownwardApi.fieldValue(pod, "metadata.labels")).isEqualTo("a=\"say \\\"hi\\\"\"\nb=\"2\"");
    assertThat(DownwardApi.fieldValue(pod, "metadata.labels['b']")).isEqualTo("2");
    assertThat(DownwardApi.fieldValue(pod, "metadata.annotations['missing']")).isEmpty();
    assertThat(DownwardApi.fieldValue(pod, "spec.nodeName")).isEqualTo("vk-1");
    // not "null": an unset field is empty, as the kubelet has it
    assertThat(DownwardApi.fieldValue(pod, "spec.serviceAccountName")).isEmpty();
    assertThatThrownBy(() -> DownwardApi.fieldValue(pod, "status.podIP")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpuIsRoundedUpToWholeDivisors() {
    assertThat(value("limits.cpu", null)).isEqualTo("2");
    assertThat(value("limits.cpu", "1m")).isEqualTo("1500");
    assertThat(value("requests.cpu", "1m")).isEqualTo("250");
    assertThat(value("requests.cpu", null)).isEqualTo("1");
    assertThat(value("requests.cpu", "100m")).isEqualTo("3");
  }

  @Test
  void memoryWithDivisors() {
    assertThat(value("limits.memory", null)).isEqualTo(String.valueOf(1024L * 1024 * 1024));
    assertThat(value("limits.memory", "1Mi")).isEqualTo("1024");
    assertThat(value("requests.memory", "1Mi")).isEqualTo("100");
    assertThat(value("requests.memory", "1Gi")).isEqualTo("1");
  }

  @Test
  void missingLimitsComeFromTheCallerAndMissingRequestsAreZero() {
    assertThat(value("limits.ephemeral-storage", "1Gi")).isEqualTo("100");
    V1Container bare = new V1Container().name("bare");
    assertThat(DownwardApi.resourceValue(new V1ResourceFieldSelector().resource("limits.cpu"), bare, allocatable))
        .isEqualTo("8");
    assertThat(DownwardApi.resourceValue(new V1ResourceFieldSelector().resource("requests.memory"), bare, allocatable))
        .isEqualTo("0");
  }

  @Test
  void rejectsUnknownResources() {
    assertThatThrownBy(() -> value("limits.gpu", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> value("cpu", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> value("limits.cpu", "0")).isInstanceOf(IllegalArgumentException.class);
  }
}
