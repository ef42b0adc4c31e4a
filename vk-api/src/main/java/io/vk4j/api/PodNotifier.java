package io.vk4j.api;

/**
 * Optional capability: the provider signals pod status changes instead of being polled.
 *
 * <p>A provider that does not implement this is polled: the runtime calls {@link Provider#getPod}
 * for each of its non-terminal pods on a fixed period ({@code statusPollPeriod}, 5 s by default).
 */
public interface PodNotifier {

  /**
   * Registers the listener for pod status changes. Called once, before any pod method except
   * {@link Provider#listPods}, and must not block. Afterwards the provider calls
   * {@link PodStatusListener#podStatusChanged} from any thread whenever a pod's status changes.
   */
  void notifyPods(PodStatusListener listener);
}
