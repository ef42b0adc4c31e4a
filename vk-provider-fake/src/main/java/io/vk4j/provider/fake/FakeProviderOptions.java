package io.vk4j.provider.fake;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.immutables.value.Value;

/** How a {@link FakeProvider} behaves when the pods themselves do not say otherwise. */
@Value.Immutable
public abstract class FakeProviderOptions {

  /** Time from create to running, and the time each init container runs. Tests mostly use 0. */
  @Value.Default
  public Duration startDelay() {
    return Duration.ofSeconds(1);
  }

  /** How long {@code createPod} blocks, like a backend call. */
  @Value.Default
  public Duration createLatency() {
    return Duration.ZERO;
  }

  /** How long {@code deletePod} blocks, like a backend call. */
  @Value.Default
  public Duration deleteLatency() {
    return Duration.ZERO;
  }

  /** Share of {@code createPod} calls that fail with a {@link io.vk4j.api.RetryableException}, 0 to 1. */
  @Value.Default
  public double failureRate() {
    return 0;
  }

  /** Seed of the random numbers behind {@link #failureRate()}, for repeatable runs. */
  @Value.Default
  public long seed() {
    return 1;
  }

  /** How many non-terminal pods the backend holds; more are refused with {@code OutOfCapacity}. */
  @Value.Default
  public int podCapacity() {
    return 3000;
  }

  /** The node's CPU capacity, as a Kubernetes quantity. */
  @Value.Default
  public String cpuCapacity() {
    return "1000";
  }

  /** The node's memory capacity, as a Kubernetes quantity. */
  @Value.Default
  public String memoryCapacity() {
    return "4Ti";
  }

  /** The IPv4 range pod IPs come from; its network, first and broadcast addresses are skipped. */
  @Value.Default
  public String podCidr() {
    return "10.244.0.0/16";
  }

  /** The pods' {@code status.hostIP} and the node's InternalIP. */
  @Value.Default
  public String hostIp() {
    return "127.0.0.1";
  }

  /** The first crash-loop back-off; doubles on every restart up to {@link #maxRestartBackoff()}. */
  @Value.Default
  public Duration restartBackoff() {
    return Duration.ofSeconds(10);
  }

  @Value.Default
  public Duration maxRestartBackoff() {
    return Duration.ofMinutes(5);
  }

  /** How long a deleted pod is still reported (terminal) before the backend forgets it. */
  @Value.Default
  public Duration deletedPodRetention() {
    return Duration.ofSeconds(10);
  }

  /** Lines kept per container instance; older lines are dropped. */
  @Value.Default
  public int logLinesPerContainer() {
    return 64;
  }

  /** The clock of every timestamp the provider reports. */
  @Value.Default
  public Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Runs the pods' timers. When absent the provider owns a small pool of daemon threads and shuts
   * it down on close; a scheduler given here is left running.
   */
  public abstract Optional<ScheduledExecutorService> scheduler();

  @Value.Check
  protected void check() {
    requireNotNegative("startDelay", startDelay());
    requireNotNegative("createLatency", createLatency());
    requireNotNegative("deleteLatency", deleteLatency());
    requireNotNegative("deletedPodRetention", deletedPodRetention());
    requireNotNegative("restartBackoff", restartBackoff());
    if (maxRestartBackoff().compareTo(restartBackoff()) < 0) {
      throw new IllegalArgumentException("maxRestartBackoff must be >= restartBackoff: " + maxRestartBackoff());
    }
    if (!(failureRate() >= 0 && failureRate() <= 1)) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1: " + failureRate());
    }
    if (podCapacity() < 0) {
      throw new IllegalArgumentException("podCapacity must be >= 0: " + podCapacity());
    }
    if (logLinesPerContainer() < 1) {
      throw new IllegalArgumentException("logLinesPerContainer must be >= 1: " + logLinesPerContainer());
    }
    IpPool.parse(podCidr());
  }

  private static void requireNotNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }

  public static FakeProviderOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableFakeProviderOptions.Builder {}
}
