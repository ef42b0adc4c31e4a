package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vk4j.server.FileWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingConfigTest {

  @Test
  void followsTheFileAndKeepsTheLastGoodRules(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, "rules: [{name: first, objectSelector: {matchLabels: {eci: 'true'}}}]\n");
    try (FileWatcher watcher = new FileWatcher(Duration.ofMillis(50))) {
      ReloadingConfig config = new ReloadingConfig(file, watcher);
      assertThat(config.get().rules()).extracting(AffinityRule::name).containsExactly("first");

      Files.writeString(file, "rules: [{name: second, mode: prefer}]\n");
      await("new rules").atMost(Duration.ofSeconds(60))
          .until(() -> config.get().rules().get(0).name().equals("second"));
      assertThat(config.get().rules().get(0).mode()).isEqualTo(InjectionMode.PREFER);

      // an invalid edit is refused; then a valid one is taken again
      Files.writeString(file, "rules: [{name: third, mode: maybe}]\n");
      Files.writeString(dir.resolve("marker"), "");
      try (FileWatcher probe = new FileWatcher(Duration.ofMillis(50))) {
        java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
        probe.watch(java.util.List.of(dir.resolve("marker")), () -> seen.set(true));
        Files.writeString(dir.resolve("marker"), "x");
        await("a poll cycle").atMost(Duration.ofSeconds(60)).untilTrue(seen);
      }
      assertThat(config.get().rules().get(0).name()).isEqualTo("second");
      Files.writeString(file, "rules: [{name: fourth}]\n");
      await("rules after a fix").atMost(Duration.ofSeconds(60))
          .until(() -> config.get().rules().get(0).name().equals("fourth"));
    }
  }

  @Test
  void anUnusableFileAtStartIsAnError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, "rules: [{mode: maybe}]\n");
    try (FileWatcher watcher = new FileWatcher(Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> new ReloadingConfig(file, watcher))
          .isInstanceOf(ConfigParser.InvalidConfigException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining("mode must be");
      assertThatThrownBy(() -> new ReloadingConfig(dir.resolve("missing.yaml"), watcher))
          .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
  }
}
