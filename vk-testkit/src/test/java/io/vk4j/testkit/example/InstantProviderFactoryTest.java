package io.vk4j.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.api.Providers;
import org.junit.jupiter.api.Test;

/** Providers are found by name through ServiceLoader, and an unknown name lists the known ones. */
class InstantProviderFactoryTest {
  @Test
  void isFoundByName() {
    assertThat(Providers.byName("instant", getClass().getClassLoader()))
        .isInstanceOf(InstantProviderFactory.class);
  }

  @Test
  void unknownNameListsAvailableProviders() {
    assertThatThrownBy(() -> Providers.byName("nope", getClass().getClassLoader()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no provider named 'nope'")
        .hasMessageContaining("available: instant");
  }
}
