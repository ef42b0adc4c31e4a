package io.vk4j.examples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Configures slf4j-simple from {@code --log-level} before any logger exists: slf4j-simple reads its
 * settings once, when the first logger is created, so this runs ahead of the real flag parsing.
 */
final class LogLevels {
  static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
  static final String DEFAULT = "info";

  private LogLevels() {}

  /** The valid level {@code args} ask for; an invalid one is left to the flag parser to reject. */
  static Optional<String> fromArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if (args[i].equals("--log-level") && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith("--log-level=")) {
        value = args[i].substring("--log-level=".length());
      }
      if (value != null && LEVELS.contains(value.toLowerCase(Locale.ROOT))) {
        return Optional.of(value.toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  /** The flag wins; without it a {@code -D} system property wins over the default. */
  static void configure(Optional<String> level) {
    if (level.isPresent()) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.get());
    } else {
      setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", DEFAULT);
    }
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
