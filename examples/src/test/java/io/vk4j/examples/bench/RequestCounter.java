package io.vk4j.examples.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts the API requests a client sends, by verb and resource ({@code PATCH pods/status},
 * {@code PUT leases}, {@code WATCH pods}...), so that the benchmark reports counted figures.
 */
final class RequestCounter implements Interceptor {
  /** The key's resource for requests outside the resource API ({@code /metrics}, {@code /readyz}...). */
  static final String NON_RESOURCE = "(non-resource)";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public Response intercept(Chain chain) throws IOException {
    counts.computeIfAbsent(key(chain.request()), k -> new LongAdder()).increment();
    return chain.proceed(chain.request());
  }

  /** The counts so far, by key. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((key, count) -> copy.put(key, count.sum()));
    return copy;
  }

  /** {@code after - before}, key by key, leaving out zeros. */
  static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> result = new TreeMap<>();
    after.forEach((key, count) -> {
      long delta = count - before.getOrDefault(key, 0L);
      if (delta != 0) {
        result.put(key, delta);
      }
    });
    return result;
  }

  static boolean isWrite(String key) {
    return key.startsWith("POST ") || key.startsWith("PUT ") || key.startsWith("PATCH ")
        || key.startsWith("DELETE ") || key.startsWith("DELETECOLLECTION ");
  }

  /** Whether the request was about pods (pods, pods/status, pods/binding...). */
  static boolean isPod(String key) {
    String resource = key.substring(key.indexOf(' ') + 1);
    return resource.equals("pods") || resource.startsWith("pods/");
  }

  static long total(Map<String, Long> counts, Predicate<String> which) {
    return counts.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /**
   * {@code VERB resource[/subresource]}, with GET split into GET, LIST and WATCH and a DELETE of a
   * collection named DELETECOLLECTION, as the API server's metrics name them.
   */
  static String key(Request request) {
    List<String> segments = request.url().encodedPathSegments();
    boolean resourceApi = !segments.isEmpty() && (segments.get(0).equals("api") || segments.get(0).equals("apis"));
    List<String> path = resourcePath(segments);
    if (!resourceApi || path.isEmpty()) {
      return request.method() + " " + NON_RESOURCE;
    }
    String resource = path.size() >= 3 ? path.get(0) + "/" + path.get(2) : path.get(0);
    String verb = request.method();
    if (verb.equals("DELETE") && path.size() == 1) {
      verb = "DELETECOLLECTION";
    } else if (verb.equals("GET")) {
      String watch = request.url().queryParameter("watch");
      if ("true".equals(watch) || "1".equals(watch)) {
        verb = "WATCH";
      } else if (path.size() == 1) {
        verb = "LIST";
      }
    }
    return verb + " " + resource;
  }

  /**
   * The path after the API group and version and the namespace: {@code pods/NAME/status} for
   * {@code /api/v1/namespaces/NS/pods/NAME/status}, {@code leases/NAME} for
   * {@code /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/NAME}.
   */
  static List<String> resourcePath(List<String> segments) {
    int start = !segments.isEmpty() && segments.get(0).equals("api") ? 2 : 3;
    List<String> rest = segments.size() > start ? segments.subList(start, segments.size()) : List.of();
    if (rest.size() > 2 && rest.get(0).equals("namespaces")) {
      rest = rest.subList(2, rest.size());
    }
    return rest;
  }
}
