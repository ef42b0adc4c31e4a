package io.vk4j.provider.eci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether ECI answers, from the outcome of every call: what {@code ping()} reports, so the node is NotReady
 * while ECI refuses the credentials (at once) or has not answered for a while (a blip must not make it NotReady).
 * Thread-safe.
 */
final class EciHealth {
  private final Clock clock;
  private final Duration grace;
  private Instant failingSince;
  private EciApiException refusedCredentials;
  private EciApiException lastFailure;

  EciHealth(Clock clock, Duration grace) {
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * ECI answered {@code action} (an error about the request counts: the endpoint works). Only an action other
   * than a listing clears a refusal: a key without RAM permission lists, emptily.
   */
  synchronized void answered(String action) {
    failingSince = null;
    lastFailure = null;
    if (!action.equals("DescribeContainerGroups") && !action.equals("DescribeContainerGroupStatus")) {
      refusedCredentials = null;
    }
  }

  /** ECI answered that the credentials or their permissions are wrong. */
  synchronized void refused(EciApiException e) {
    refusedCredentials = e;
  }

  /** No answer, or a server error. */
  synchronized void failed(EciApiException e) {
    lastFailure = e;
    if (failingSince == null) {
      failingSince = clock.instant();
    }
  }

  /** Why the node should be NotReady, if it should. */
  synchronized Optional<String> problem() {
    if (refusedCredentials != null) {
      return Optional.of("ECI refuses this node's credentials: " + refusedCredentials.code() + ": "
          + refusedCredentials.getMessage());
    }
    if (failingSince != null && Duration.between(failingSince, clock.instant()).compareTo(grace) >= 0) {
      return Optional.of("ECI has not answered since " + failingSince + " (" + lastFailure.code() + ": "
          + lastFailure.getMessage() + ")");
    }
    return Optional.empty();
  }
}
