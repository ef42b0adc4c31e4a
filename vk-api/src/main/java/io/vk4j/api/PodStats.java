package io.vk4j.api;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** Resource usage of one pod and its containers at one moment. */
@Value.Immutable
public abstract class PodStats {
  public abstract String namespace();

  public abstract String name();

  public abstract String uid();

  public abstract Instant time();

  public abstract List<ContainerStats> containers();

  /** Network bytes received by the pod, when the backend measures it. */
  public abstract OptionalLong networkRxBytes();

  /** Network bytes sent by the pod, when the backend measures it. */
  public abstract OptionalLong networkTxBytes();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutablePodStats.Builder {}
}
