package io.vk4j.testkit.example;

import io.vk4j.api.Provider;
import io.vk4j.testkit.conformance.ProviderConformanceTest;

/** The README's example provider passes the conformance kit, as the README says. */
class InstantProviderConformanceTest extends ProviderConformanceTest {
  @Override
  protected Provider createProvider() {
    return new InstantProvider();
  }
}
