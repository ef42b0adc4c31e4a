package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import java.util.Optional;

/**
 * A compute backend that runs the pods bound to one virtual node.
 *
 * <h2>Threads</h2>
 * The runtime calls the pod methods from its worker threads: calls for different pods may run
 * concurrently, calls for the same pod (same namespace and name) never do. The node methods are
 * called from the node controller's single thread. Implementations must therefore be thread-safe
 * across pods but need no per-pod locking for the runtime's sake. No method may block for long:
 * a slow backend call holds one worker, and the runtime has a bounded number of them.
 *
 * <h2>Ownership of pods</h2>
 * A pod passed in is a copy the provider owns: it may keep it, but the runtime will never look at
 * it again. A pod or status returned to the runtime may be cached by it and must not be mutated
 * afterwards by the provider; return a fresh copy if the provider's own copy keeps changing.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>{@link NotFoundException}: the pod does not exist in the backend. Success for {@link #deletePod}.
 *   <li>{@link InvalidInputException}: the backend can never run this pod as specified. The runtime
 *       records an Event, marks the pod Failed with the exception's reason and message, and does not
 *       retry until the pod's spec changes.
 *   <li>{@link RetryableException}: a transient failure. The runtime retries with backoff, no sooner
 *       than the exception's retry-after.
 *   <li>any other {@link ProviderException} or {@link RuntimeException}: treated as retryable, with
 *       backoff; the pod's status says why it is not running yet.
 * </ul>
 */
public interface Provider extends AutoCloseable {

  /**
   * Starts running {@code pod} in the backend. Called once per pod UID, after the runtime has
   * resolved the containers' environment (so {@code env} holds values, not references, except for
   * {@code status.podIP} and {@code status.hostIP}, see {@link PodEnvironment}).
   *
   * <p>May return before the pod is running; the provider then reports progress through
   * {@link PodNotifier} or through {@link #getPodStatus}. If the backend already runs a pod with
   * this UID (a retried call), this must succeed without creating a second one.
   */
  void createPod(V1Pod pod) throws ProviderException;

  /**
   * Applies a changed spec (for example a new image, or changed labels and annotations) to a pod
   * created earlier. A provider that cannot change a running pod in place throws
   * {@link InvalidInputException} naming the field.
   */
  void updatePod(V1Pod pod) throws ProviderException;

  /**
   * Stops {@code pod} and releases its resources. Idempotent: deleting a pod that is already gone or
   * is being deleted succeeds (throwing {@link NotFoundException} counts as success too).
   *
   * <p>The pod's {@code metadata.deletionGracePeriodSeconds} tells how long its containers may take
   * to stop. After this returns, the provider must eventually either report a terminal status
   * (phase Succeeded or Failed, every container terminated) for the pod or stop returning it from
   * {@link #getPod}; the runtime removes the pod from the API server on whichever comes first, or
   * when the grace period has run out.
   */
  void deletePod(V1Pod pod) throws ProviderException;

  /**
   * The pod as the backend knows it, with its current status, or empty when the backend has no
   * such pod. Must reflect pods deleted from the backend behind the runtime's back: the runtime
   * reports a pod that vanished as Failed.
   */
  Optional<V1Pod> getPod(String namespace, String name) throws ProviderException;

  /** The current status of a pod, or empty when the backend has no such pod. */
  Optional<V1PodStatus> getPodStatus(String namespace, String name) throws ProviderException;

  /**
   * Every pod this provider runs for this node, terminal ones included while the backend still
   * knows them. The runtime calls this at start-up to adopt running pods and to find pods whose
   * API object is gone, and never acts on it before its own view of the API server is complete.
   */
  List<V1Pod> listPods() throws ProviderException;

  /**
   * Fills the provider's part of the Node before it is registered and whenever
   * {@link NodeChangeListener#nodeChanged()} is signalled: capacity, allocatable, addresses,
   * labels, node info. The runtime owns the rest (its labels, taint, conditions, daemon endpoints)
   * and applies it after this call. {@code node.getMetadata()} and {@code node.getStatus()} are
   * never null. The default leaves the node as it is.
   */
  default void configureNode(V1Node node) {}

  /**
   * Checks that the backend is reachable. The node controller calls it before each heartbeat; while
   * it throws, heartbeats stop and the control plane marks the node NotReady.
   */
  default void ping() throws ProviderException {}

  /**
   * Registers the listener the provider signals when its node properties (capacity, addresses...)
   * change. Called once, before the node is registered. The default never signals.
   */
  default void notifyNodeChanges(NodeChangeListener listener) {}

  /** Releases the provider's resources. Pods keep running in the backend. */
  @Override
  default void close() {}
}
