package io.vk4j.api;

/**
 * Optional capability: the provider pushes pod status changes instead of being polled.
 *
 * <p>A provider that does not implement this is polled: the runtime calls
 * {@link Provider#getPodStatus} for each of its non-terminal pods on a fixed period.
 */
public interface PodNotifier {

  /**
   * Registers the listener for pod status changes. Called once, before any pod method, and must
   * not block. Afterwards the provider calls {@link PodStatusListener#podStatusChanged} from any
   * thread whenever a pod's status changes, in order for each pod.
   */
  void notifyPods(PodStatusListener listener);
}
