package io.vk4j.eci.emulator;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** ECI's time format: UTC, second precision, e.g. {@code 2024-01-02T03:04:05Z}. */
final class Times {

  private Times() {}

  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  static String formatNanos(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  static Optional<Instant> parse(FlatParams params, String name) {
    Optional<String> value = params.string(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.get()));
    } catch (DateTimeParseException e) {
      throw ApiException.invalidParameter(name, "not an RFC 3339 UTC time such as 2024-01-02T03:04:05Z: " + value.get());
    }
  }
}
