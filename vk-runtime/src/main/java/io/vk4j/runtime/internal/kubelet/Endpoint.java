package io.vk4j.runtime.internal.kubelet;

import java.util.Arrays;
import java.util.List;

/** The kubelet API's endpoints, by the first segment of the path. */
enum Endpoint {
  HEALTHZ("healthz", false),
  PODS("pods", false),
  RUNNING_PODS("runningpods", false),
  CONTAINER_LOGS("containerLogs", false),
  STATS("stats", false),
  METRICS("metrics", false),
  EXEC("exec", true),
  ATTACH("attach", true),
  PORT_FORWARD("portForward", true),
  OTHER("", false);

  private final String segment;
  private final boolean streaming;

  Endpoint(String segment, boolean streaming) {
    this.segment = segment;
    this.streaming = streaming;
  }

  static Endpoint of(String path) {
    List<String> segments = segments(path);
    if (segments.isEmpty()) {
      return OTHER;
    }
    if (segments.equals(List.of("healthz"))) {
      return HEALTHZ;
    }
    for (Endpoint endpoint : values()) {
      if (endpoint != HEALTHZ && endpoint != OTHER && endpoint.segment.equals(segments.get(0))) {
        return endpoint;
      }
    }
    return OTHER;
  }

  /** Whether clients of this endpoint (kubectl exec, attach, port-forward) read errors as a {@code Status}. */
  boolean streaming() {
    return streaming;
  }

  /** The path's segments after this endpoint's own. */
  List<String> rest(String path) {
    List<String> segments = segments(path);
    return segments.isEmpty() ? segments : segments.subList(1, segments.size());
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
