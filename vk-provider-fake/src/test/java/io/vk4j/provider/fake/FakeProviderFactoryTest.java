package io.vk4j.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.vk4j.api.ClusterResources;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeProviderFactoryTest {
  @TempDir
  Path dir;

  private ProviderContext context(Path config, Map<String, String> environment) {
    ProviderContext.Builder builder = ProviderContext.builder()
        .nodeName("vk-fake")
        .environment(environment)
        .resources(mock(ClusterResources.class))
        .events(mock(PodEventRecorder.class));
    if (config != null) {
      builder.configFile(config);
    }
    return builder.build();
  }

  @Test
  void isFoundByNameThroughTheServiceLoader() throws Exception {
    assertThat(Providers.byName("fake", getClass().getClassLoader())).isInstanceOf(FakeProviderFactory.class);
    try (Provider provider = new FakeProviderFactory().create(context(null, Map.of()))) {
      assertThat(provider).isInstanceOf(FakeProvider.class);
      assertThat(((FakeProvider) provider).options()).isEqualTo(FakeProviderOptions.defaults());
    }
  }

  @Test
  void readsTheConfigFileAndLetsTheEnvironmentOverrideIt() throws Exception {
    Path config = Files.writeString(dir.resolve("fake.properties"), """
        # a demo node
        startDelay = 2s
        createLatency = 20ms
        failureRate = 0.1
        podCapacity = 100
        podCidr = 10.88.0.0/16
        """);

    FakeProviderOptions options = FakeProviderFactory.options(context(config,
        Map.of("VK4J_FAKE_POD_CAPACITY", "50", "VKUBELET_POD_IP", "192.0.2.7")));

    assertThat(options.startDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.createLatency()).isEqualTo(Duration.ofMillis(20));
    assertThat(options.failureRate()).isEqualTo(0.1);
    assertThat(options.podCapacity()).isEqualTo(50);
    assertThat(options.podCidr()).isEqualTo("10.88.0.0/16");
    assertThat(options.hostIp()).isEqualTo("192.0.2.7");
  }

  @Test
  void unknownKeysAndBadValuesFailWithOneClearMessage() throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.properties"), "startdelay=1s\n");
    assertThatThrownBy(() -> FakeProviderFactory.options(context(typo, Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown fake provider option 'startdelay'")
        .hasMessageContaining("startDelay");

    Path bad = Files.writeString(dir.resolve("bad.properties"), "podCapacity=lots\n");
    assertThatThrownBy(() -> FakeProviderFactory.options(context(bad, Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("podCapacity='lots'");

    assertThatThrownBy(() -> FakeProviderFactory.options(context(null, Map.of("VK4J_FAKE_FAILURE_RATE", "2"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("failureRate");

    assertThatThrownBy(() -> FakeProviderFactory.options(context(dir.resolve("missing.properties"), Map.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing.properties");
  }

  @Test
  void environmentNamesAreUpperSnakeCase() {
    assertThat(FakeProviderFactory.environmentName("startDelay")).isEqualTo("VK4J_FAKE_START_DELAY");
    assertThat(FakeProviderFactory.environmentName("logLinesPerContainer")).isEqualTo("VK4J_FAKE_LOG_LINES_PER_CONTAINER");
  }
}
