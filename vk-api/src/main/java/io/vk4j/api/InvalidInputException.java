package io.vk4j.api;

/**
 * The backend can never run the pod as specified (an unsupported volume type, an invalid annotation
 * value...). The runtime records a Warning Event and marks the pod Failed with this reason and
 * message, and does not retry until the pod's spec changes.
 */
public class InvalidInputException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String reason, String message) {
    super(reason, message);
  }

  public InvalidInputException(String message) {
    this("InvalidInput", message);
  }
}
