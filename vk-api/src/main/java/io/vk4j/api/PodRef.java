package io.vk4j.api;

import org.immutables.value.Value;

/** Names one pod. */
@Value.Immutable
public abstract class PodRef {
  @Value.Parameter
  public abstract String namespace();

  @Value.Parameter
  public abstract String name();

  public static PodRef of(String namespace, String name) {
    return ImmutablePodRef.of(namespace, name);
  }

  @Override
  public String toString() {
    return namespace() + "/" + name();
  }
}
