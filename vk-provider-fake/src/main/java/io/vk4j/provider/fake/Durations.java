package io.vk4j.provider.fake;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way Kubernetes users write them: {@code 1h2m3s}, {@code 250ms}, {@code 0}. */
final class Durations {
  private Durations() {}

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  /** @throws IllegalArgumentException saying what a valid value looks like */
  static Duration parse(String text) {
    String value = text.trim();
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = PART.matcher(value);
    long nanos = 0;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      long unitNanos = switch (matcher.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos += Math.round(amount * unitNanos);
      end = matcher.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 250ms, 5s, 1m30s, 2h)");
    }
    return Duration.ofNanos(nanos);
  }

  /** Formats like the kubelet's back-off messages: {@code 10s}, {@code 1m20s}, {@code 5m0s}. */
  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return duration.toMillis() % 1000 == 0 ? seconds + "s" : duration.toMillis() + "ms";
    }
    return seconds / 3600 > 0
        ? seconds / 3600 + "h" + seconds % 3600 / 60 + "m" + seconds % 60 + "s"
        : seconds / 60 + "m" + seconds % 60 + "s";
  }
}
