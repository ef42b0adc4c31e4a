package io.vk4j.runtime.internal.kubelet;

import io.vk4j.testkit.net.Sockets;
import io.vk4j.testkit.tls.TestTls;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The misbehaving client of {@link KubeletAbuseIT}, in a process of its own so that its sockets do
 * not count in the node's figures: {@code AbuseClient HOST PORT EACH} opens EACH connections of
 * four kinds (idle TCP, 4 bytes of a ClientHello, TLS handshaken then idle, half a request), prints
 * {@code OPEN <count> <seconds> <still open>} once all are open, then {@code CLOSED <seconds>} once
 * the server has closed every one, and exits.
 */
public final class AbuseClient {
  private AbuseClient() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int each = Integer.parseInt(args[2]);
    SSLSocketFactory tls = TestTls.trustingAnyServer(null, List.of()).getSocketFactory();
    List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    ExecutorService openers = Executors.newFixedThreadPool(8);
    List<Future<?>> opening = new ArrayList<>();
    // the handshaken kinds first: they are the slow ones to open
    for (int i = 0; i < each; i++) {
      opening.add(openers.submit(() -> {
        SSLSocket idle = (SSLSocket) tls.createSocket(host, port);
        idle.startHandshake(); // then nothing
        sockets.add(idle);
        SSLSocket halfRequest = (SSLSocket) tls.createSocket(host, port);
        halfRequest.getOutputStream().write("GET /pods HTTP/1.1\r\nHost: x\r\nAuthori".getBytes(StandardCharsets.US_ASCII));
        halfRequest.getOutputStream().flush();
        sockets.add(halfRequest);
        return null;
      }));
    }
    for (Future<?> open : opening) {
      open.get();
    }
    for (int i = 0; i < each; i++) {
      sockets.add(new Socket(host, port)); // connected, says nothing
      Socket clientHello = new Socket(host, port);
      clientHello.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02}); // 4 bytes of a ClientHello
      sockets.add(clientHello);
    }
    openers.shutdown();
    double opened = seconds(start);
    List<Socket> open = new ArrayList<>(sockets);
    open.removeIf(socket -> Sockets.closedByPeer(socket, Duration.ofMillis(1)));
    System.out.printf("OPEN %d %.2f %d%n", sockets.size(), opened, open.size());
    System.out.flush();
    while (!open.isEmpty()) {
      open.removeIf(socket -> Sockets.closedByPeer(socket, Duration.ofMillis(1)));
      TimeUnit.MILLISECONDS.sleep(100); // a poll of 1,000 sockets, not a wait on a condition
    }
    System.out.printf("CLOSED %.2f%n", seconds(start));
    System.out.flush();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
