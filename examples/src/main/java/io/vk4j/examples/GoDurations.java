package io.vk4j.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way upstream virtual-kubelet's flags take them ({@code 30s}, {@code 1m},
 * {@code 1h30m}, {@code 500ms}); ISO-8601 ({@code PT1M}) is accepted too.
 */
final class GoDurations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

  private GoDurations() {}

  static Duration parse(String text) {
    String value = text.trim();
    if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "'");
      }
    }
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      long amount = Long.parseLong(matcher.group(1));
      total = total.plus(switch (matcher.group(2)) {
        case "h" -> Duration.ofHours(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "s" -> Duration.ofSeconds(amount);
        default -> Duration.ofMillis(amount);
      });
      end = matcher.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (use for example 30s, 1m, 1h30m or 500ms)");
    }
    return total;
  }
}
