package io.vk4j.provider.fake;

import io.vk4j.api.Provider;
import io.vk4j.testkit.conformance.ProviderConformanceTest;
import java.time.Duration;

/** The in-memory provider against the provider contract, with a realistic start delay and latency. */
class FakeProviderConformanceTest extends ProviderConformanceTest {

  @Override
  protected Provider createProvider() {
    return new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ofMillis(100))
        .createLatency(Duration.ofMillis(2))
        .deletedPodRetention(Duration.ofSeconds(1))
        .build());
  }
}
