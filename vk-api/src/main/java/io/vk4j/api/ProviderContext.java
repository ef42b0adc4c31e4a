package io.vk4j.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** What the runtime gives a {@link ProviderFactory} to create a provider for one node. */
@Value.Immutable
public abstract class ProviderContext {

  /** The name of the virtual node the provider serves. */
  public abstract String nodeName();

  /** The provider's configuration file ({@code --provider-config}), when one was given. */
  public abstract Optional<Path> configFile();

  /**
   * Settings from the environment (for example {@code ECI_REGION}). The process environment by
   * default; tests and embedders may pass their own.
   */
  @Value.Default
  public Map<String, String> environment() {
    return System.getenv();
  }

  /** Secrets, ConfigMaps and tokens the pods refer to. */
  public abstract ClusterResources resources();

  /** Records Events on pods. */
  public abstract PodEventRecorder events();

  /**
   * Where the provider records its own metrics (the runtime serves them on the kubelet API's {@code
   * /metrics} with its own): name them {@code vk4j_<provider>_...}. A registry of its own by default.
   */
  @Value.Default
  public MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableProviderContext.Builder {}
}
