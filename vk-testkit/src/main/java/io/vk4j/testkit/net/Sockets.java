package io.vk4j.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** What tests of servers ask of a client connection. */
public final class Sockets {
  private Sockets() {}

  /**
   * True once the server has closed the connection (a reset counts; what it sent before the close
   * is skipped); false when it is still open after waiting {@code patience} for more.
   */
  public static boolean closedByPeer(Socket socket, Duration patience) {
    try {
      socket.setSoTimeout((int) Math.max(1, patience.toMillis()));
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        // whatever came before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
