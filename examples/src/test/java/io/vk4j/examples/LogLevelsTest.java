package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLevelsTest {

  @Test
  void findsTheLevelInBothFlagForms() {
    assertThat(LogLevels.fromArgs(new String[] {"--provider", "fake", "--log-level", "DEBUG"})).contains("debug");
    assertThat(LogLevels.fromArgs(new String[] {"--log-level=warn"})).contains("warn");
  }

  @Test
  void noneOrInvalidLevelIsLeftToTheFlagParser() {
    assertThat(LogLevels.fromArgs(new String[] {"--provider", "fake"})).isEmpty();
    assertThat(LogLevels.fromArgs(new String[] {"--log-level", "loud"})).isEmpty();
    assertThat(LogLevels.fromArgs(new String[] {"--log-level"})).isEmpty();
  }
}
