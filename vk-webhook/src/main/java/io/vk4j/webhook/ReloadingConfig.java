package io.vk4j.webhook;

import io.vk4j.server.FileWatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules of a file, re-read when it changes; an invalid edit is logged and the previous rules stay. */
final class ReloadingConfig implements Supplier<AffinityConfig> {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingConfig.class);

  private volatile AffinityConfig current;

  /** Reads the file now (throwing when it is unusable) and then follows it through {@code watcher}. */
  ReloadingConfig(Path file, FileWatcher watcher) throws IOException, ConfigParser.InvalidConfigException {
    this.current = read(file);
    watcher.watch(List.of(file), () -> {
      current = read(file);
      LOG.info("reloaded {} rule(s) from {}", current.rules().size(), file);
    });
  }

  @Override
  public AffinityConfig get() {
    return current;
  }

  static AffinityConfig read(Path file) throws IOException, ConfigParser.InvalidConfigException {
    try {
      return ConfigParser.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (ConfigParser.InvalidConfigException e) {
      throw new ConfigParser.InvalidConfigException(file + ": " + e.getMessage(), e);
    }
  }
}
