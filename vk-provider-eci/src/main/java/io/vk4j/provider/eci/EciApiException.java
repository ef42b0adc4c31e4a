package io.vk4j.provider.eci;

import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.util.Set;

/** An ECI API call failed: an error response, or no response at all (status 0). */
final class EciApiException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Codes a transport failure gets, in place of ECI's own. */
  static final String TRANSPORT_ERROR = "TransportError";

  static final String CIRCUIT_OPEN = "CircuitOpen";

  /**
   * Create failures that mean "this zone cannot place the group now": the provider then tries the
   * next vSwitch's zone. ECI reports stock problems under several codes; these are the ones its
   * documentation and SDKs name, matched exactly, plus any code containing {@code NoStock},
   * {@code OutOfStock} or {@code SoldOut}.
   */
  static final Set<String> ZONE_FAILOVER_CODES = Set.of(
      "RecommendEmpty.InstanceTypeNoStock",
      "RecommendEmpty.InstanceTypeSoldOut",
      "OperationDenied.NoStock",
      "Zone.NotOnSale",
      "Zone.NotOpen",
      "InvalidZoneId.NotSupported",
      "InvalidVSwitchId.IpNotEnough",
      "ResourceNotAvailable",
      "NoStock");

  private final String code;
  private final int httpStatus;
  private final String requestId;

  EciApiException(String code, int httpStatus, String message, String requestId, Throwable cause) {
    super(message, cause);
    this.code = code == null || code.isBlank() ? "Unknown" : code;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
  }

  static EciApiException transport(String message, Throwable cause) {
    return new EciApiException(TRANSPORT_ERROR, 0, message, null, cause);
  }

  String code() {
    return code;
  }

  int httpStatus() {
    return httpStatus;
  }

  /** No response: the call may or may not have taken effect. */
  boolean isTransportError() {
    return httpStatus == 0 && code.equals(TRANSPORT_ERROR);
  }

  /** ECI's flow control: {@code Throttling.*}, and {@code Degrade.Api} ("denied due to API flow control"). */
  boolean isThrottling() {
    return code.startsWith("Throttling") || code.startsWith("Degrade.") || httpStatus == 429;
  }

  boolean isServerError() {
    return httpStatus >= 500 || code.equals("InternalError") || code.equals("ServiceUnavailable");
  }

  /** Worth retrying after a pause: throttling, a server error, or no response. */
  boolean isRetryable() {
    return isThrottling() || isServerError() || isTransportError();
  }

  /**
   * The container group does not exist. ECI answers {@code InvalidContainerGroup.NotFound} or
   * {@code InvalidParameter.NotFound}; codes that say the action, region or access key is unknown
   * are not about the group.
   */
  boolean isNotFound() {
    return code.endsWith("NotFound") && !isAuthProblem() && !code.startsWith("InvalidAction")
        && !code.startsWith("InvalidRegion") && !code.startsWith("InvalidVSwitch")
        && !code.startsWith("InvalidSecurityGroup");
  }

  boolean isIncorrectStatus() {
    return code.startsWith("IncorrectStatus") || code.startsWith("OperationConflict")
        || code.startsWith("IncorrectInstanceStatus");
  }

  boolean isZoneUnavailable() {
    return ZONE_FAILOVER_CODES.contains(code) || code.contains("NoStock") || code.contains("OutOfStock")
        || code.contains("SoldOut");
  }

  /** The credentials or their permissions are wrong: an operator must act, not the pod's owner. */
  boolean isAuthProblem() {
    return code.startsWith("SignatureDoesNotMatch") || code.startsWith("InvalidAccessKeyId")
        || code.startsWith("InvalidSecurityToken") || code.startsWith("Forbidden")
        || code.startsWith("NoPermission") || code.equals("InvalidCredentials") || httpStatus == 401
        || httpStatus == 403;
  }

  /**
   * This failure as the SPI wants it: a request ECI rejects as invalid cannot succeed by retrying,
   * everything else (throttling, outages, credentials, stock) can once the cause is fixed.
   */
  ProviderException toProviderException(String doing) {
    String message = doing + ": ECI " + code + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": "
        + getMessage() + (requestId == null ? "" : " [request " + requestId + "]");
    if (isNotFound()) {
      return new NotFoundException(message);
    }
    if (!isRetryable() && !isAuthProblem() && !isZoneUnavailable() && !isIncorrectStatus()
        && httpStatus >= 400 && httpStatus < 500
        && (code.startsWith("Invalid") || code.startsWith("Missing") || code.startsWith("Unsupported"))) {
      return new InvalidInputException("EciRejected", message);
    }
    String reason = isThrottling() ? "EciThrottled"
        : isAuthProblem() ? "EciUnauthorized"
        : isZoneUnavailable() ? "EciNoStock"
        : code.equals(CIRCUIT_OPEN) ? "EciUnavailable"
        : "EciError";
    return new RetryableException(reason, message, null, this);
  }

  @Override
  public String toString() {
    return "EciApiException[" + code + ", HTTP " + httpStatus + "]: " + getMessage();
  }
}
