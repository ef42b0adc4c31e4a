package io.vk4j.examples.bench;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Response;

/**
 * The requests the API server has served, from its own {@code /metrics}
 * ({@code apiserver_request_total}), by verb and resource in {@link RequestCounter}'s keys
 * ({@code PUT pods/status}, {@code DELETECOLLECTION pods}, {@code WATCH pods}...). Counted at the
 * server, this includes what a client library does on its own (retries, watch reconnections) and
 * does not depend on the node's cooperation. The server counts a WATCH when it ends.
 */
final class ApiServerRequests {
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final String METRIC = "apiserver_request_total{";

  private final ApiClient client;

  ApiServerRequests(ApiClient client) {
    this.client = client;
  }

  /** The counts now, summed over response codes and scopes. */
  Map<String, Long> snapshot() throws IOException {
    try {
      Call call = client.buildCall(client.getBasePath(), "/metrics", "GET", List.of(), List.of(), null,
          new HashMap<>(Map.of("Accept", "text/plain")), new HashMap<>(), new HashMap<>(),
          new String[] {"BearerToken"}, null);
      try (Response response = call.execute()) {
        if (!response.isSuccessful() || response.body() == null) {
          throw new IOException("GET /metrics: HTTP " + response.code());
        }
        return parse(response.body().string());
      }
    } catch (ApiException e) {
      throw new IOException("GET /metrics: " + e.getMessage(), e);
    }
  }

  static Map<String, Long> parse(String metrics) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(METRIC)) {
        continue;
      }
      int close = line.lastIndexOf('}');
      Map<String, String> labels = new HashMap<>();
      Matcher m = LABEL.matcher(line.substring(METRIC.length(), close));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      long value = (long) Double.parseDouble(line.substring(close + 1).trim());
      counts.merge(key(labels), value, Long::sum);
    }
    return counts;
  }

  private static String key(Map<String, String> labels) {
    String resource = labels.getOrDefault("resource", "");
    String subresource = labels.getOrDefault("subresource", "");
    if (resource.isEmpty()) {
      resource = RequestCounter.NON_RESOURCE;
    } else if (!subresource.isEmpty()) {
      resource = resource + "/" + subresource;
    }
    return labels.getOrDefault("verb", "?") + " " + resource;
  }
}
