package io.vk4j.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Optional capability: carries connections to ports of a pod ({@code kubectl port-forward}). A
 * provider without it makes the kubelet API answer 501, which kubectl shows.
 *
 * <p>Threading: each forwarded connection (one per connection a client opens to its local port)
 * is one call of {@link #portForward}, on a runtime streaming thread of its own, which the call may
 * block for as long as the connection lives. The number of calls at once is bounded by the runtime.
 */
public interface PortForward {

  /**
   * Carries one connection to {@code port} of the pod: bytes the client sends arrive on {@code
   * fromClient} (which ends when the client closes its side), bytes for the client are written to
   * {@code toClient}. Returns when the connection is over, normally when the pod's side is done;
   * the runtime then closes both streams and the client sees the connection end. When the client
   * goes away, {@code fromClient} ends, writes fail with an {@link java.io.IOException} and the
   * calling thread is interrupted.
   *
   * @param port a TCP port, 1 to 65535
   * @throws NotFoundException when there is no such pod
   * @throws ProviderException when the port cannot be reached; the client sees the message
   */
  void portForward(PodRef pod, int port, InputStream fromClient, OutputStream toClient)
      throws ProviderException;
}
