package io.vk4j.webhook;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One blocking HTTP/1.1 keep-alive connection over TLS, the way the API server calls a webhook:
 * a request, its answer, the next request on the same connection. Used by the benchmark so the
 * client costs little more than the bytes it moves (no selector thread, no hand-offs).
 */
final class KeepAliveHttpsConnection implements AutoCloseable {

  private final SSLSocket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String host;
  private byte[] lastBody = new byte[0];

  KeepAliveHttpsConnection(SSLContext tls, String host, int port) throws IOException {
    this.host = host;
    this.socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
    socket.setTcpNoDelay(true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 16384);
  }

  /** How long a read may block (default: for ever). */
  void setTimeout(java.time.Duration timeout) throws IOException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  /** The body of the last answer. */
  String lastBody() {
    return new String(lastBody, StandardCharsets.UTF_8);
  }

  /** Sends a JSON POST and reads the whole answer; returns its status code. */
  int post(String pathAndQuery, byte[] body) throws IOException {
    send(pathAndQuery, body);
    return readAnswer();
  }

  /** Sends a JSON POST without waiting for its answer (several in a row: HTTP pipelining). */
  void send(String pathAndQuery, byte[] body) throws IOException {
    byte[] head = ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
        + "Accept: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    out.write(request);
    out.flush();
  }

  /** Reads the next whole answer; returns its status code ({@link #lastBody()} has its body). */
  int readAnswer() throws IOException {
    String statusLine = readLine();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    if (length < 0) {
      throw new IOException("the benchmark needs Content-Length answers");
    }
    byte[] answer = new byte[Math.toIntExact(length)];
    for (int read = 0; read < answer.length; ) {
      int n = in.read(answer, read, answer.length - read);
      if (n < 0) {
        throw new IOException("connection closed inside the body");
      }
      read += n;
    }
    lastBody = answer;
    return status;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
