package io.vk4j.provider.fake;

import io.vk4j.api.Provider;
import io.vk4j.testkit.conformance.ProviderConformanceTest;
import java.time.Duration;

/**
 * The in-memory provider against the provider contract while a third of its creates fail
 * retryably: the contract must hold for a backend that throttles.
 */
class FlakyFakeProviderConformanceTest extends ProviderConformanceTest {

  @Override
  protected Provider createProvider() {
    return new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ofMillis(50))
        .failureRate(0.3)
        .seed(42)
        .deletedPodRetention(Duration.ZERO)
        .build());
  }
}
