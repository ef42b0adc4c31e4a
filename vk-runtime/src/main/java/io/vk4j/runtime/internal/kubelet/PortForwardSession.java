package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.vk4j.api.PodRef;
import io.vk4j.api.PortForward;
import io.vk4j.api.ProviderException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One forwarded connection: the provider's call on a streaming thread, wired to the client's data stream. */
final class PortForwardSession {
  private static final Logger LOG = LoggerFactory.getLogger(PortForwardSession.class);

  /** What carries the connection to the client. */
  interface Transport {
    /** Sends bytes from the pod; any thread, in order. */
    void data(ByteBuf data);

    /** The connection is over: ends the data stream, after sending {@code error} when there is one. */
    void finish(Optional<String> error);
  }

  private final PodRef pod;
  private final int port;
  private final PortForward provider;
  private final Transport transport;
  private final StreamSlots.Slot slot;
  private final StreamInput fromClient;
  private final StreamOutput toClient;
  private final SessionThread thread = new SessionThread();
  private volatile boolean over;

  PortForwardSession(PodRef pod, int port, PortForward provider, Channel channel, ReadGate gate, Transport transport,
      StreamSlots.Slot slot) {
    this.pod = pod;
    this.port = port;
    this.provider = provider;
    this.transport = transport;
    this.slot = slot;
    this.fromClient = new StreamInput(gate);
    this.toClient = new StreamOutput(channel, transport::data);
  }

  void start() {
    slot.start(this::run);
  }

  void clientData(ByteBuf data) {
    fromClient.offer(data);
  }

  void clientEnd() {
    fromClient.end();
  }

  void clientGone() {
    over = true;
    fromClient.end();
    toClient.close();
    thread.interrupt();
  }

  private void run() {
    String[] error = {null};
    try {
      thread.run(() -> {
        try {
          provider.portForward(pod, port, fromClient, toClient);
        } catch (ProviderException e) {
          error[0] = e.getMessage();
        } catch (RuntimeException e) {
          LOG.warn("port-forward to {} port {} failed", pod, port, e);
          error[0] = "internal error: " + e;
        }
      });
    } finally {
      toClient.close();
      fromClient.discard();
    }
    if (!over) {
      over = true;
      transport.finish(Optional.ofNullable(error[0])
          .map(message -> "error forwarding port " + port + " to pod " + pod + ": " + message));
    }
  }
}
