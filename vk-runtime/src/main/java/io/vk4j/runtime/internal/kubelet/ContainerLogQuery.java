package io.vk4j.runtime.internal.kubelet;

import io.vk4j.api.ContainerLogOptions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the query parameters of {@code GET /containerLogs/...} (as the API server forwards them from
 * {@code kubectl logs}) into {@link ContainerLogOptions}. Unknown parameters are ignored, like the
 * kubelet does; a malformed value is a 400 that names the parameter.
 */
final class ContainerLogQuery {
  private ContainerLogQuery() {}

  static ContainerLogOptions parse(QueryParameters query) throws HttpError {
    ContainerLogOptions.Builder options = ContainerLogOptions.builder();
    Optional<Long> tailLines = longValue(query, "tailLines");
    if (tailLines.isPresent()) {
      if (tailLines.get() > Integer.MAX_VALUE) {
        throw HttpError.badRequest("tailLines: too large: " + tailLines.get());
      }
      options.tailLines(tailLines.get().intValue());
    }
    longValue(query, "limitBytes").ifPresent(options::limitBytes);
    longValue(query, "sinceSeconds").ifPresent(options::sinceSeconds);
    sinceTime(query).ifPresent(options::sinceTime);
    booleanValue(query, "follow").ifPresent(options::follow);
    booleanValue(query, "previous").ifPresent(options::previous);
    booleanValue(query, "timestamps").ifPresent(options::timestamps);
    try {
      return options.build();
    } catch (IllegalArgumentException e) {
      // the option type's own checks: negative values, both sinceSeconds and sinceTime
      throw HttpError.badRequest(e.getMessage());
    }
  }

  private static Optional<Long> longValue(QueryParameters query, String name) throws HttpError {
    Optional<String> raw = query.first(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(raw.get().trim()));
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(name + ": not an integer: '" + raw.get() + "'");
    }
  }

  /** Accepts what Go's {@code strconv.ParseBool} accepts; a bare {@code ?follow} means true. */
  private static Optional<Boolean> booleanValue(QueryParameters query, String name) throws HttpError {
    Optional<String> raw = query.first(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    switch (raw.get().trim().toLowerCase(Locale.ROOT)) {
      case "", "1", "t", "true":
        return Optional.of(true);
      case "0", "f", "false":
        return Optional.of(false);
      default:
        throw HttpError.badRequest(name + ": not a boolean: '" + raw.get() + "'");
    }
  }

  private static Optional<Instant> sinceTime(QueryParameters query) throws HttpError {
    Optional<String> raw = query.first("sinceTime");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          OffsetDateTime.parse(raw.get().trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      throw HttpError.badRequest("sinceTime: not an RFC 3339 time: '" + raw.get() + "'");
    }
  }
}
