package io.vk4j.api;

import org.immutables.value.Value;

/** The size of a terminal, in characters. */
@Value.Immutable
public abstract class TerminalSize {
  @Value.Parameter
  public abstract int width();

  @Value.Parameter
  public abstract int height();

  public static TerminalSize of(int width, int height) {
    return ImmutableTerminalSize.of(width, height);
  }
}
