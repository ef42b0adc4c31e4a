package io.vk4j.testkit.example;

import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderFactory;

/** Makes {@link InstantProvider} selectable as {@code --provider instant}. */
public final class InstantProviderFactory implements ProviderFactory {
  @Override
  public String name() {
    return "instant";
  }

  @Override
  public Provider create(ProviderContext context) {
    return new InstantProvider();
  }
}
