package io.vk4j.provider.eci;

import io.vk4j.api.InvalidInputException;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderException;
import io.vk4j.api.ProviderFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * Creates {@link EciProvider}s: {@code --provider eci}. Settings come from the {@code ECI_*}
 * environment variables (over an optional {@code --provider-config} properties file), are read
 * once here, and every problem with them is reported in one {@link InvalidInputException}.
 */
public final class EciProviderFactory implements ProviderFactory {

  @Override
  public String name() {
    return "eci";
  }

  @Override
  public String description() {
    return "Alibaba Cloud Elastic Container Instance (ECI): each pod runs as a container group";
  }

  @Override
  public Provider create(ProviderContext context) throws ProviderException {
    EciSettings settings = SettingsParser.parse(context.nodeName(), context.environment(), context.configFile());
    EciProvider provider = build(settings, context);
    try {
      provider.checkAccess();
    } catch (ProviderException | RuntimeException e) {
      provider.close();
      throw e;
    }
    provider.start();
    return provider;
  }

  /** ACK's virtual nodes carry {@code virtual-kubelet.io/provider=alibabacloud}, which its docs' tolerations match. */
  @Override
  public String defaultTaintValue() {
    return "alibabacloud";
  }

  /** The provider, not started; tests start it themselves. */
  static EciProvider build(EciSettings settings, ProviderContext context) throws ProviderException {
    Clock clock = Clock.systemUTC();
    EciTransport tea;
    try {
      tea = new TeaTransport(settings);
    } catch (EciApiException e) {
      throw new InvalidInputException("InvalidEciSettings", e.getMessage());
    }
    CircuitBreaker circuit = new CircuitBreaker(5, Duration.ofSeconds(5), Duration.ofMinutes(1), clock);
    ApiCallCounter counter = new ApiCallCounter();
    EciHealth health = new EciHealth(clock, settings.unreachableBeforeNotReady());
    EciTransport resilient = new ResilientTransport(tea, settings.apiQps(), circuit, counter, health, 4,
        Duration.ofMillis(200), Duration.ofSeconds(5), duration -> Thread.sleep(duration.toMillis()));
    EciClient client = new EciClient(resilient, settings.readTimeout());
    return new EciProvider(settings, context, client, health, counter, clock);
  }
}
