package io.vk4j.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures the executable's logging (logback) from {@code --log-level} and {@code --log-format}
 * before the flags are parsed, so that start-up itself logs as asked: one line per event on stderr,
 * as text or as one JSON object per line (what log collectors parse without a pattern).
 */
final class LogLevels {
  static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
  static final List<String> FORMATS = List.of("text", "json");
  static final String DEFAULT = "info";
  static final String DEFAULT_FORMAT = "text";
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

  private LogLevels() {}

  /** The valid level {@code args} ask for; an invalid one is left to the flag parser to reject. */
  static Optional<String> fromArgs(String[] args) {
    return flag(args, "--log-level", LEVELS);
  }

  /** The valid format {@code args} ask for. */
  static Optional<String> formatFromArgs(String[] args) {
    return flag(args, "--log-format", FORMATS);
  }

  private static Optional<String> flag(String[] args, String name, List<String> valid) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if (args[i].equals(name) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith(name + "=")) {
        value = args[i].substring(name.length() + 1);
      }
      if (value != null && valid.contains(value.toLowerCase(Locale.ROOT))) {
        return Optional.of(value.toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  /** Logs at {@code level} in {@code format} to stderr; does nothing when logback is not the SLF4J backend. */
  static void configure(Optional<String> level, Optional<String> format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    Encoder<ILoggingEvent> encoder = "json".equals(format.orElse(DEFAULT_FORMAT)) ? json(context) : text(context);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("stderr");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.orElse(DEFAULT).toUpperCase(Locale.ROOT), Level.INFO));
    root.addAppender(console);
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  /** One JSON object per line: timestamp, level, thread, logger, the formatted message, and the throwable. */
  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
