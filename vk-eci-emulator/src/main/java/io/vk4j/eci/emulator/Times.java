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

  private static final java.util.regex.Pattern UTC_SECONDS =
      java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

  /** An RFC 3339 time in UTC with whole seconds, the form the API reference documents and shows. */
  static Optional<Instant> parseStrict(FlatParams params, String name) {
    Optional<String> value = params.string(name);
    if (value.isPresent() && !UTC_SECONDS.matcher(value.get()).matches()) {
      throw ApiException.invalidParameter(name, "an RFC 3339 UTC time with whole seconds such as 2024-01-02T03:04:05Z: "
          + value.get());
    }
    return parse(params, name);
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
