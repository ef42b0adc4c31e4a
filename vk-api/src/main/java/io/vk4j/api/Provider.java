package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Optional;

/**
 * A compute backend that runs the pods bound to one virtual node.
 *
 * <h2>Threads</h2>
 * The runtime calls {@link #createPod}, {@link #updatePod}, {@link #deletePod} and {@link #getPod}
 * from its worker threads: calls for different pods may run concurrently, calls for the same pod
 * (same namespace and name) never do. At start-up, before any worker runs, one thread calls
 * {@link #listPods} and {@link #deletePod} for the pods it finds orphaned. {@link #listPods} may
 * also be called at any time from other threads (the kubelet API's {@code /runningpods}), even
 * before {@link PodNotifier#notifyPods}. The node methods ({@link #configureNode},
 * {@link #notifyNodeChanges}) are called from the node controller's thread, {@link #ping} from a
 * thread of its own. Implementations must therefore be thread-safe across pods but need no per-pod
 * locking for the runtime's sake.
 *
 * <h2>Time bounds and cancellation</h2>
 * A pod method (and {@link #listPods}) that runs longer than the runtime's
 * {@code providerCallTimeout} (one minute by default) has its thread interrupted, and the call
 * counts as a retryable failure with reason {@code ProviderTimeout}, whatever it returns afterwards:
 * use interruptible I/O, or check {@link Thread#isInterrupted()} in long loops, and stop then. The
 * call is retried later, so it must leave the backend in a state a retry completes. {@link #ping}
 * has its own, shorter timeout.
 *
 * <h2>Ownership of pods</h2>
 * A pod passed in is a copy the provider owns: it may keep it, but the runtime will never look at
 * it again. A pod returned to the runtime may be cached by it and must not be mutated afterwards
 * by the provider; return a fresh copy if the provider's own copy keeps changing.
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>{@link NotFoundException}: the pod does not exist in the backend. Success for {@link #deletePod}.
 *   <li>{@link InvalidInputException}: the backend can never run this pod as specified. From
 *       {@link #createPod}: the runtime records a Warning Event {@code ProviderCreateFailed}, marks
 *       the pod Failed with the exception's reason and message, and does not retry until the pod's
 *       spec changes. From {@link #updatePod}: a Warning Event {@code ProviderUpdateFailed}; the pod
 *       keeps running as it is, and the change is not retried until the spec changes again.
 *   <li>{@link RetryableException}: a transient failure. The runtime retries with backoff, no sooner
 *       than the exception's retry-after.
 *   <li>any other {@link ProviderException} or {@link RuntimeException}: treated as retryable, with
 *       backoff; the pod's status says why it is not running yet.
 * </ul>
 */
public interface Provider extends AutoCloseable {

  /**
   * Starts running {@code pod} in the backend, after the runtime has resolved the containers'
   * environment (so {@code env} holds values, not references, except for the pod's and host's
   * addresses, see {@link PodEnvironment}).
   *
   * <p>May return before the pod is running; the provider then reports progress through
   * {@link PodNotifier}, or the runtime finds it through {@link #getPod}. May be called more than
   * once for the same pod UID: a retry after a failure or a timeout, or after a restart of the
   * runtime that came before the pod was adopted. If the backend already runs a pod with this UID,
   * this must succeed without creating a second one.
   */
  void createPod(V1Pod pod) throws ProviderException;

  /**
   * Applies a changed spec (a new image, or changed labels and annotations) to a pod created
   * earlier. Once this returns, {@link #getPod} returns the pod with the new spec and metadata, and
   * a container whose image changed runs the new image (restarted, so its restart count goes up).
   * A provider that cannot change a running pod in place throws {@link InvalidInputException}
   * naming the field.
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
   * such pod. This is where the runtime reads every status it writes: after each
   * {@link PodStatusListener notification}, and on a fixed period for providers that do not notify.
   * The pod's {@code metadata.uid} must be the UID it was created with (it tells a pod from a
   * successor of the same name). Must reflect pods deleted from the backend behind the runtime's
   * back: the runtime reports a pod that vanished as Failed. The runtime may keep the returned pod to
   * tell later whether its status changed: return new objects for a new status, and never change a
   * returned one.
   */
  Optional<V1Pod> getPod(String namespace, String name) throws ProviderException;

  /**
   * Every pod this provider runs for this node, terminal ones included while the backend still
   * knows them. The runtime calls this at start-up to adopt running pods and to find pods whose
   * API object is gone, and never acts on it before its own view of the API server is complete.
   * The Node reports Ready only after the first call succeeded.
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
   * Checks that the backend is reachable. The runtime calls it on its own schedule
   * ({@code pingInterval}), on a thread of its own, and waits at most {@code pingTimeout} for it.
   * While it throws, or takes longer, the Node reports Ready=False with the failure as its message;
   * the Lease keeps being renewed, as a kubelet's is while its container runtime is down.
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
