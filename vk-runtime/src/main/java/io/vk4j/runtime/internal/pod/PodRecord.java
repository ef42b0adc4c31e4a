package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.models.V1PodStatus;

/**
 * What the runtime remembers of one pod (one UID) between reconciles: little, so that thousands
 * of pods stay cheap. Only the worker that holds the pod's key touches it.
 */
final class PodRecord {
  /** The provider has the pod: created by this runtime, or adopted at start-up. */
  boolean created;
  /** The fingerprint of the spec the provider has. */
  int specHash;
  /** The provider refused this spec for good (InvalidInputException): not retried until it changes. */
  boolean rejected;
  int rejectedSpecHash;
  /** provider.deletePod succeeded. */
  boolean deleted;
  /** The final delete (grace 0) was sent to the API server: the pod is going away. */
  boolean removalSent;
  /** When the provider was first seen not to have a pod it should have (clock millis), or 0. */
  long missingSince;
  /** When a progress-only status was first seen unwritten (clock millis), or 0. */
  long progressSince;
  /**
   * The provider's status and the pod's resourceVersion at which the API server was last seen to
   * show it (or was written to): while neither changed, there is nothing to compare or write.
   */
  V1PodStatus syncedReport;
  String syncedVersion;
}
