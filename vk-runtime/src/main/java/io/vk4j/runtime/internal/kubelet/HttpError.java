package io.vk4j.runtime.internal.kubelet;

/** A request that ends with an error status; the message is sent to the client. */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int INTERNAL_ERROR = 500;
  static final int NOT_IMPLEMENTED = 501;

  private final int status;
  private final String allow;

  HttpError(int status, String message) {
    this(status, message, null);
  }

  private HttpError(int status, String message, String allow) {
    super(message);
    this.status = status;
    this.allow = allow;
  }

  int status() {
    return status;
  }

  /** The methods to name in an {@code Allow} header (a 405), or null. */
  String allow() {
    return allow;
  }

  static HttpError methodNotAllowed(String method, String allowed) {
    return new HttpError(METHOD_NOT_ALLOWED, method + " not allowed; use " + allowed, allowed);
  }

  static HttpError badRequest(String message) {
    return new HttpError(BAD_REQUEST, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(NOT_FOUND, message);
  }

  static HttpError notImplemented(String message) {
    return new HttpError(NOT_IMPLEMENTED, message);
  }
}
