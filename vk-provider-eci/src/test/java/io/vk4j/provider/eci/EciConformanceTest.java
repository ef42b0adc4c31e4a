package io.vk4j.provider.eci;

import io.vk4j.api.Provider;
import io.vk4j.testkit.conformance.ProviderConformanceTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The provider conformance kit, against the ECI emulator through the real SDK. */
class EciConformanceTest extends ProviderConformanceTest {
  private static EmulatorFixture fixture;

  @BeforeAll
  static void startEmulator() {
    fixture = new EmulatorFixture();
  }

  @AfterAll
  static void stopEmulator() {
    fixture.close();
  }

  @Override
  protected Provider createProvider() throws Exception {
    // a node of its own per test, so tests never see each other's groups
    return new EciProviderFactory().create(fixture.context(io.vk4j.testkit.conformance.ConformancePods.uniqueName("vk")));
  }

  @Override
  protected Duration runningTimeout() {
    return Duration.ofSeconds(60);
  }
}
