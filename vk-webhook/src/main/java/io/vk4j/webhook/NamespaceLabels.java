package io.vk4j.webhook;

import java.util.Map;
import java.util.Optional;

/** Where the webhook learns namespace labels (an AdmissionRequest carries only the namespace name). */
interface NamespaceLabels {

  /**
   * The labels of {@code namespace}, or empty when they cannot be learnt before
   * {@code deadlineNanos} (a {@link System#nanoTime()} value) or the namespace does not exist.
   */
  Optional<Map<String, String>> labelsOf(String namespace, long deadlineNanos);

  /**
   * The labels of {@code namespace} if they are at hand, with no call and no wait; empty when
   * learning them would take {@link #labelsOf} (which may then still find none).
   */
  Optional<Map<String, String>> cachedLabelsOf(String namespace);

  /** True once the source has a complete view (the readiness of the webhook). */
  boolean synced();

  /** A fixed map, for tests and for running without a cluster. */
  static NamespaceLabels fixed(Map<String, Map<String, String>> labelsByNamespace) {
    return new NamespaceLabels() {
      @Override
      public Optional<Map<String, String>> labelsOf(String namespace, long deadlineNanos) {
        return cachedLabelsOf(namespace);
      }

      @Override
      public Optional<Map<String, String>> cachedLabelsOf(String namespace) {
        return Optional.ofNullable(labelsByNamespace.get(namespace));
      }

      @Override
      public boolean synced() {
        return true;
      }
    };
  }
}
