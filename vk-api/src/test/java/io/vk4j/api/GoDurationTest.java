package io.vk4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({"1m, PT1M", "30s, PT30S", "1h30m, PT1H30M", "500ms, PT0.5S", "2m30s, PT2M30S", "1.5s, PT1.5S",
      ".5s, PT0.5S", "2.5h, PT2H30M", "10us, PT0.00001S", "10µs, PT0.00001S", "7ns, PT0.000000007S",
      "PT5M, PT5M", "0, PT0S", " 5s , PT5S"})
  void parsesGoAndIsoDurations(String text, String expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "5", "m", "1x", "1m junk", "junk1m", "-1s", "P1X", "-PT1S", "1d"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a duration");
    assertThat(GoDuration.tryParse(text)).isEmpty();
  }

  @Test
  void formatsLikeTheKubelet() {
    assertThat(GoDuration.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(GoDuration.format(Duration.ofSeconds(80))).isEqualTo("1m20s");
    assertThat(GoDuration.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
    assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
  }
}
