package io.vk4j.runtime.internal.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceFieldsTest {
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
    return ResourceFields.value(selector, container, allocatable);
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
  void missingLimitsAreTheNodeAllocatable() {
    assertThat(value("limits.ephemeral-storage", "1Gi")).isEqualTo("100");
    V1Container bare = new V1Container().name("bare");
    assertThat(ResourceFields.value(new V1ResourceFieldSelector().resource("limits.cpu"), bare, allocatable))
        .isEqualTo("8");
    assertThat(ResourceFields.value(new V1ResourceFieldSelector().resource("requests.memory"), bare, allocatable))
        .isEqualTo("0");
  }

  @Test
  void rejectsUnknownResources() {
    assertThatThrownBy(() -> value("limits.gpu", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> value("cpu", null)).isInstanceOf(IllegalArgumentException.class);
  }
}
