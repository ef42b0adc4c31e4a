package io.vk4j.runtime.internal.env;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of resolving a pod's environment: Events to record and, when a mandatory reference
 * is missing, why the pod cannot be created yet. Internal to vk4j.
 *
 * @param events what the pod's Events should say, in order
 * @param failure set when the pod must not be handed to the provider yet
 */
public record EnvResolution(List<Event> events, Optional<Failure> failure) {

  /** An Event about the pod's environment, for example {@code OptionalSecretNotFound}. */
  public record Event(boolean warning, String reason, String message) {}

  /** Why the containers cannot be configured: the pod stays Pending with this reason and message. */
  public record Failure(String reason, String message) {}

  /** The kubelet's reason for a container whose configuration cannot be built. */
  public static final String CONFIG_ERROR = "CreateContainerConfigError";
}
