package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.custom.Quantity;
import io.vk4j.api.InvalidInputException;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResourceSizingTest {

  @ParameterizedTest(name = "{0} = {1} GiB")
  @CsvSource({"512Mi, 0.5", "1Gi, 1", "1536Mi, 1.5", "1G, 0.932", "500M, 0.466", "100Mi, 0.098", "4Gi, 4",
      "1073741824, 1", "2Ti, 2048"})
  void memoryInGib(String quantity, String gib) {
    assertThat(ResourceSizing.gib(new Quantity(quantity))).isEqualByComparingTo(new BigDecimal(gib));
  }

  @ParameterizedTest(name = "{0} = {1} cores")
  @CsvSource({"500m, 0.5", "1, 1", "250m, 0.25", "1500m, 1.5", "2, 2", "1m, 0.001", "0.1, 0.1"})
  void cpuInCores(String quantity, String cores) {
    assertThat(ResourceSizing.cores(new Quantity(quantity))).isEqualByComparingTo(new BigDecimal(cores));
  }

  @ParameterizedTest(name = "{0} cores {1} GiB -> {2}-{3}")
  @CsvSource({"0.1, 0.1, 0.25, 0.5", "0.25, 0.75, 0.25, 1", "0.5, 1.5, 0.5, 2", "1, 1, 1, 2", "1, 5, 1, 8",
      "1, 9, 2, 16", "3, 1, 4, 2", "2, 0, 2, 1", "6, 3, 8, 4", "0, 20, 4, 32", "48, 90, 52, 96", "64, 512, 64, 512"})
  void smallestSpecThatHoldsBoth(String cores, String gib, String specCores, String specGib) throws Exception {
    ResourceSizing.Size size = ResourceSizing.fit(new ResourceSizing.Size(new BigDecimal(cores), new BigDecimal(gib)));
    assertThat(size.cores()).isEqualByComparingTo(specCores);
    assertThat(size.gib()).isEqualByComparingTo(specGib);
  }

  @Test
  void beyondTheLargestSpecIsInvalidInputWithAHint() {
    assertThatThrownBy(() -> ResourceSizing.fit(new ResourceSizing.Size(BigDecimal.valueOf(96), BigDecimal.ONE)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("96 cores").hasMessageContaining("eci-use-specs");
  }
}
