package io.vk4j.runtime.internal.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** API server failures in words, for logs, Events and pod statuses. Internal to vk4j. */
public final class ApiErrors {
  private ApiErrors() {}

  /**
   * What went wrong: {@code HTTP 422: <the API server's message>} for an answer, or what kept the
   * request from being answered ({@code connection refused}, {@code timed out}...).
   */
  public static String describe(Throwable failure) {
    if (failure instanceof ApiException api && api.getCode() != 0) {
      return "HTTP " + api.getCode() + ": " + message(api);
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return "connection refused (the API server is not reachable)";
      }
      if (cause instanceof NoRouteToHostException) {
        return "no route to the API server";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown API server host " + cause.getMessage();
      }
      if (cause instanceof InterruptedIOException) {
        return "timed out waiting for the API server";
      }
      if (cause instanceof SSLException) {
        return "TLS failure talking to the API server: " + cause.getMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** A request to the API server. */
  @FunctionalInterface
  public interface Request<T> {
    T send() throws ApiException;
  }

  /** The answer of a read, or empty when the API server has no such object (404). */
  public static <T> Optional<T> absentOn404(Request<T> read) throws ApiException {
    try {
      return Optional.of(read.send());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The HTTP status, or 0 when no answer came. */
  public static int code(Throwable failure) {
    return failure instanceof ApiException api ? api.getCode() : 0;
  }

  /** Whether trying again later may help: no answer, throttling, or a server-side failure. */
  public static boolean isTransient(Throwable failure) {
    int code = code(failure);
    return code == 0 || code == 429 || code >= 500;
  }

  private static String message(ApiException api) {
    String body = api.getResponseBody();
    if (body != null && !body.isBlank()) {
      try {
        JsonObject status = JsonParser.parseString(body).getAsJsonObject();
        if (status.has("message")) {
          return status.get("message").getAsString();
        }
      } catch (RuntimeException e) {
        // not a Status: the body as it is
      }
      return body.strip();
    }
    return api.getMessage() == null ? "no message" : api.getMessage();
  }
}
