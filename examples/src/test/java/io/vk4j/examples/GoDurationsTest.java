package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {

  @ParameterizedTest
  @CsvSource({"1m, PT1M", "30s, PT30S", "1h30m, PT1H30M", "500ms, PT0.5S", "2m30s, PT2M30S",
      "PT5M, PT5M", "0, PT0S"})
  void parsesGoAndIsoDurations(String text, String expected) {
    assertThat(GoDurations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "m", "1x", "1m junk", "junk1m", "-1s", "P1X"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> GoDurations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a duration");
  }
}
