package io.vk4j.eci.emulator;

/**
 * An error answered to the client the way Alibaba's gateway answers it: an HTTP status and a JSON body
 * with {@code Code} and {@code Message}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final String code;

  ApiException(int httpStatus, String code, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.code = code;
  }

  int httpStatus() {
    return httpStatus;
  }

  String code() {
    return code;
  }

  static ApiException missingParameter(String name) {
    return new ApiException(400, "MissingParameter", "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
  }

  static ApiException invalidParameter(String name, String why) {
    return new ApiException(400, "InvalidParameter", "The specified parameter \"" + name + "\" is not valid: " + why);
  }

  static ApiException containerGroupNotFound(String id) {
    return new ApiException(404, "InvalidParameter.NotFound", "The specified container group " + id + " does not exist.");
  }

  static ApiException incorrectStatus(String id, String status, String operation) {
    return new ApiException(400, "IncorrectStatus", "The current status " + status + " of container group " + id + " does not support " + operation + ".");
  }
}
