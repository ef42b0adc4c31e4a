package io.vk4j.api;

import org.immutables.value.Value;

/** Names one container of one pod. */
@Value.Immutable
public abstract class ContainerRef {
  @Value.Parameter
  public abstract String namespace();

  @Value.Parameter
  public abstract String podName();

  @Value.Parameter
  public abstract String containerName();

  public static ContainerRef of(String namespace, String podName, String containerName) {
    return ImmutableContainerRef.of(namespace, podName, containerName);
  }

  @Override
  public String toString() {
    return namespace() + "/" + podName() + "/" + containerName();
  }
}
