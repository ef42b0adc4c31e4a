package io.vk4j.runtime.kubelet;

import com.sun.net.httpserver.HttpExchange;
import io.kubernetes.client.openapi.JSON;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes complete responses. */
final class Exchanges {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON_TYPE = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private Exchanges() {}

  static void sendJson(HttpExchange exchange, Object body) throws IOException {
    send(exchange, 200, JSON_TYPE, JSON.serialize(body));
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Whether the status line has gone out already, so an error can no longer be reported. */
  static boolean responseStarted(HttpExchange exchange) {
    return exchange.getResponseCode() != -1;
  }
}
