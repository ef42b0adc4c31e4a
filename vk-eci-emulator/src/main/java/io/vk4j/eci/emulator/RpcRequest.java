package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableMap;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One HTTP request as the RPC gateway sees it: query, form body, headers and the raw body bytes. */
final class RpcRequest {

  /** Larger bodies are refused: a create with many config files stays far below. */
  static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final String method;
  private final String path;
  private final ImmutableMap<String, String> query;
  private final ImmutableMap<String, String> form;
  private final ImmutableMap<String, String> params;
  private final ImmutableMap<String, String> headers;
  private final byte[] body;

  RpcRequest(String method, String path, Map<String, String> query, Map<String, String> form, Map<String, String> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.query = ImmutableMap.copyOf(query);
    this.form = ImmutableMap.copyOf(form);
    Map<String, String> merged = new LinkedHashMap<>(query);
    merged.putAll(form);
    this.params = ImmutableMap.copyOf(merged);
    this.headers = ImmutableMap.copyOf(headers);
    this.body = body;
  }

  static RpcRequest read(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange.getRequestBody());
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      if (!e.getValue().isEmpty()) {
        headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().get(0));
      }
    }
    Map<String, String> query = decodeForm(exchange.getRequestURI().getRawQuery(), "query string");
    Map<String, String> form = Map.of();
    String contentType = headers.getOrDefault("content-type", "");
    if (contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") && body.length > 0) {
      form = decodeForm(new String(body, StandardCharsets.UTF_8), "form body");
    }
    String path = exchange.getRequestURI().getRawPath();
    return new RpcRequest(exchange.getRequestMethod().toUpperCase(Locale.ROOT), path == null || path.isEmpty() ? "/" : path, query, form, headers, body);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiException(400, "InvalidParameter", "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
    }
    return bytes;
  }

  static Map<String, String> decodeForm(String raw, String where) {
    Map<String, String> result = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return result;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        result.put(key, value);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "InvalidParameter", "Malformed percent-encoding in the " + where + ": " + e.getMessage());
      }
    }
    return result;
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /** Parameters of the URL query string only. */
  ImmutableMap<String, String> query() {
    return query;
  }

  /** Parameters of a form-encoded body only. */
  ImmutableMap<String, String> form() {
    return form;
  }

  /** Query and form parameters together, the form winning. */
  ImmutableMap<String, String> params() {
    return params;
  }

  /** Headers with lower-case names (first value of each). */
  ImmutableMap<String, String> headers() {
    return headers;
  }

  Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }

  byte[] body() {
    return body;
  }

  /** The action: from the query in V1, from {@code x-acs-action} in V3. */
  Optional<String> action() {
    String fromParams = params.get("Action");
    if (fromParams != null && !fromParams.isEmpty()) {
      return Optional.of(fromParams);
    }
    return header("x-acs-action").filter(a -> !a.isEmpty());
  }

  Optional<String> version() {
    String fromParams = params.get("Version");
    if (fromParams != null && !fromParams.isEmpty()) {
      return Optional.of(fromParams);
    }
    return header("x-acs-version").filter(a -> !a.isEmpty());
  }
}
