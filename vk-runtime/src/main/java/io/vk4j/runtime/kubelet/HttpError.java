package io.vk4j.runtime.kubelet;

/** A request that ends with an error status; the message is sent to the client as plain text. */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int INTERNAL_ERROR = 500;
  static final int NOT_IMPLEMENTED = 501;

  private final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
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
