package io.vk4j.provider.eci;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Tolerant readers for the JSON maps the OpenAPI client returns (numbers may arrive as text). */
final class Json {
  private Json() {}

  static Optional<String> string(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    if (value == null) {
      return Optional.empty();
    }
    String text = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        ? Long.toString(n.longValue()) : value.toString();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  static OptionalInt integer(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    if (value instanceof Number n) {
      return OptionalInt.of(n.intValue());
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return OptionalInt.of((int) Double.parseDouble(s.trim()));
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.empty();
  }

  static Optional<Long> longValue(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    if (value instanceof Number n) {
      return Optional.of(n.longValue());
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return Optional.of((long) Double.parseDouble(s.trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static boolean bool(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    return value instanceof Map ? (Map<String, Object>) value : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> objects(Map<String, Object> json, String key) {
    Object value = json == null ? null : json.get(key);
    if (value instanceof List<?> list) {
      return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList();
    }
    return List.of();
  }

  /** ECI writes times as RFC 3339 ({@code 2024-01-02T03:04:05Z}), sometimes with an offset. */
  static Optional<Instant> time(Map<String, Object> json, String key) {
    return string(json, key).flatMap(Json::parseTime);
  }

  static Optional<Instant> parseTime(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(text));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }
}
