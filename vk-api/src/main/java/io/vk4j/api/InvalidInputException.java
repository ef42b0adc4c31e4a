package io.vk4j.api;

/**
 * The backend can never run the pod as specified (an unsupported volume type, an invalid annotation
 * value, a reference the node may not read...). From {@link Provider#createPod} the runtime records
 * a Warning Event and marks the pod Failed with this reason and message; from
 * {@link Provider#updatePod} it records a Warning Event and the pod keeps running as it was. Either
 * way it does not retry until the pod's spec changes.
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
