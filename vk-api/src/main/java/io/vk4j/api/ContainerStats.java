package io.vk4j.api;

import java.time.Instant;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** Resource usage of one container at one moment. */
@Value.Immutable
public abstract class ContainerStats {
  public abstract String name();

  public abstract Instant time();

  /** CPU in use, in nanocores (1e9 = one core). */
  public abstract OptionalLong cpuUsageNanoCores();

  /** Cumulative CPU time used, in core-nanoseconds. */
  public abstract OptionalLong cpuUsageCoreNanoSeconds();

  /** Memory working set, in bytes. */
  public abstract OptionalLong memoryWorkingSetBytes();

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableContainerStats.Builder {}
}
