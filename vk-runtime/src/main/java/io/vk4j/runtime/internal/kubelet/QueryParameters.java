package io.vk4j.runtime.internal.kubelet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parameters of a URL query string, decoded, in order; a name may repeat. */
final class QueryParameters {
  private final Map<String, List<String>> values;

  private QueryParameters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parses a raw (still percent-encoded) query; {@code null} or empty gives no parameters. */
  static QueryParameters parse(String rawQuery) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    return new QueryParameters(values);
  }

  /** The first value of {@code name}, as Go's {@code url.Values.Get} reads it. */
  Optional<String> first(String name) {
    List<String> all = values.get(name);
    return all == null ? Optional.empty() : Optional.of(all.get(0));
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // a malformed %-escape: keep the text as sent rather than failing the whole request here
      return raw;
    }
  }
}
