package io.vk4j.examples;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;

/** Deletes what a test registered, whatever state it left. */
final class TestNodeCleanup {
  private TestNodeCleanup() {}

  static void deleteNode(CoreV1Api core, String name) {
    try {
      core.deleteNode(name).execute();
    } catch (ApiException | RuntimeException e) {
      // gone already, or answered with a Status the client does not parse: deleted anyway
    }
  }
}
