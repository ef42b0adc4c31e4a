package io.vk4j.runtime.internal.node;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Node;
import java.util.Optional;

/** The node controller's requests about its Node: the seam in front of the API server. */
interface NodeClient {

  /** The API server's version, for the kubelet version the Node reports. */
  String serverVersion();

  Optional<V1Node> read(String name) throws ApiException;

  V1Node create(V1Node node) throws ApiException, InterruptedException;

  /** A JSON merge patch of the Node. */
  void patch(String name, String mergePatch) throws ApiException, InterruptedException;

  /** A strategic merge patch of the Node's status; returns the Node as patched. */
  V1Node patchStatus(String name, String strategicMergePatch) throws ApiException, InterruptedException;
}
