package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The kubelet API's complete answers. Errors are plain text, as the kubelet writes them (the API
 * server shows that text to kubectl users), except on the streaming endpoints, where kubectl
 * decodes a {@code Status} and prints its message.
 */
final class Replies {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private Replies() {}

  static FullHttpResponse of(HttpResponseStatus status, String contentType, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  static FullHttpResponse text(HttpResponseStatus status, String message) {
    return of(status, TEXT, message.endsWith("\n") ? message : message + "\n");
  }

  static FullHttpResponse json(String body) {
    return of(HttpResponseStatus.OK, JSON, body);
  }

  /** A {@code metav1.Status} failure, for clients that decode one (kubectl on exec, attach, port-forward). */
  static FullHttpResponse status(HttpResponseStatus status, String message) {
    return of(status, JSON, failure(status.code(), reason(status), message, null).toString());
  }

  /** A failed {@code metav1.Status}; {@code exitCode} adds the cause kubectl reads a command's exit code from. */
  static JsonObject failure(int code, String reason, String message, Integer exitCode) {
    JsonObject status = new JsonObject();
    status.addProperty("kind", "Status");
    status.addProperty("apiVersion", "v1");
    status.add("metadata", new JsonObject());
    status.addProperty("status", "Failure");
    status.addProperty("message", message);
    status.addProperty("reason", reason);
    if (exitCode != null) {
      JsonObject cause = new JsonObject();
      cause.addProperty("reason", "ExitCode");
      cause.addProperty("message", Integer.toString(exitCode));
      JsonArray causes = new JsonArray();
      causes.add(cause);
      JsonObject details = new JsonObject();
      details.add("causes", causes);
      status.add("details", details);
    }
    if (code > 0) {
      status.addProperty("code", code);
    }
    return status;
  }

  static JsonObject success() {
    JsonObject status = new JsonObject();
    status.addProperty("kind", "Status");
    status.addProperty("apiVersion", "v1");
    status.add("metadata", new JsonObject());
    status.addProperty("status", "Success");
    return status;
  }

  /** The {@code reason} of a Status for an HTTP status: its phrase without blanks (NotFound, NotImplemented...). */
  static String reason(HttpResponseStatus status) {
    return switch (status.code()) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 413 -> "RequestEntityTooLarge";
      case 429 -> "TooManyRequests";
      case 500 -> "InternalError";
      case 501 -> "NotImplemented";
      case 503 -> "ServiceUnavailable";
      default -> status.reasonPhrase().replace(" ", "");
    };
  }
}
