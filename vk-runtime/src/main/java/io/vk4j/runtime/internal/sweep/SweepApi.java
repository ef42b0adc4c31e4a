package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** What the cluster sweep and node retirement ask the API server: the seam in front of it. Internal to vk4j. */
public interface SweepApi {

  /** Every Node, all pages: a failure throws, never a part. */
  List<V1Node> listNodes() throws ApiException;

  Optional<V1Lease> readLease(String namespace, String name) throws ApiException;

  V1Lease createLease(V1Lease lease) throws ApiException;

  /** A replace guarded by the Lease's resourceVersion: 409 when someone else wrote it meanwhile. */
  V1Lease replaceLease(V1Lease lease) throws ApiException;

  Optional<V1Pod> readPod(String namespace, String name) throws ApiException;

  /** Every pod bound to {@code nodeName}, all pages. */
  List<V1Pod> podsOn(String nodeName) throws ApiException;

  /** Deletes this pod (its UID) with the grace period given, or the pod's own when empty; gone is success. */
  void deletePod(V1Pod pod, Optional<Long> gracePeriodSeconds) throws ApiException;

  /** Marks a Node unschedulable, as {@code kubectl cordon} does. */
  void cordon(V1Node node) throws ApiException;

  /** Deletes this Node (its UID); gone is success. */
  void deleteNode(V1Node node) throws ApiException;

  /** The replicas of a StatefulSet; empty when it does not exist or is being deleted. */
  OptionalInt statefulSetReplicas(String namespace, String name) throws ApiException;

  /** Records an Event on a Node, best effort. */
  void nodeEvent(V1Node node, String type, String reason, String message);
}
