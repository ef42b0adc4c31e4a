package io.vk4j.runtime.internal.kubelet;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;

/**
 * What a request to the kubelet API asks for, in the terms of a SubjectAccessReview, with the
 * kubelet's own mapping: resource {@code nodes} named after the node, the verb from the HTTP
 * method, and the subresource {@code stats} for {@code /stats}, {@code metrics} for {@code
 * /metrics}, {@code log} for {@code /logs}, {@code spec} for {@code /spec}, and {@code proxy} for
 * everything else (pods, logs of containers, exec, attach, port-forward).
 */
record RequestAttributes(String verb, String subresource, String nodeName) {

  static RequestAttributes of(HttpMethod method, String path, String nodeName) {
    return new RequestAttributes(verb(method), subresource(path), nodeName);
  }

  static String verb(HttpMethod method) {
    return switch (method.name()) {
      case "POST" -> "create";
      case "GET", "HEAD" -> "get";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.name().toLowerCase(Locale.ROOT);
    };
  }

  static String subresource(String path) {
    if (isUnder(path, "/stats")) {
      return "stats";
    }
    if (isUnder(path, "/metrics")) {
      return "metrics";
    }
    if (isUnder(path, "/logs")) {
      return "log";
    }
    if (isUnder(path, "/spec")) {
      return "spec";
    }
    return "proxy";
  }

  private static boolean isUnder(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /** The message of a 403, naming what was missing, as the kubelet words it. */
  String forbidden(User user) {
    return "Forbidden (user=" + user.name() + ", verb=" + verb + ", resource=nodes, subresource(s)=[" + subresource
        + "])";
  }
}
