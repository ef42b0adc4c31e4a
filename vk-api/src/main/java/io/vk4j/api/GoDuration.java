package io.vk4j.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes and Go programs write them ({@code 250ms}, {@code 30s}, {@code 1m30s},
 * {@code 1.5h}, {@code 0}), the one parser of vk4j's flags, provider settings and webhook timeouts.
 * ISO-8601 ({@code PT1M}) is accepted too. Negative durations are refused: every vk4j duration is a
 * period, a delay or a timeout.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private GoDuration() {}

  /** @throws IllegalArgumentException saying what a valid value looks like */
  public static Duration parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not a duration: '" + text
        + "' (use for example 250ms, 5s, 1m30s or 2h)"));
  }

  /** The duration {@code text} says, or empty when it is not one. */
  public static Optional<Duration> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String value = text.trim();
    if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        Duration iso = Duration.parse(value);
        return iso.isNegative() ? Optional.empty() : Optional.of(iso);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    if (value.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher part = PART.matcher(value);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unitNanos(part.group(2)))));
      end = part.end();
    }
    if (end == 0 || end != value.length()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  /**
   * Formats the way the kubelet's messages print durations: {@code 500ms}, {@code 10s},
   * {@code 1m20s}, {@code 1h0m0s}.
   */
  public static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return duration.toMillis() % 1000 == 0 ? seconds + "s" : duration.toMillis() + "ms";
    }
    return seconds >= 3600
        ? seconds / 3600 + "h" + seconds % 3600 / 60 + "m" + seconds % 60 + "s"
        : seconds / 60 + "m" + seconds % 60 + "s";
  }
}
