package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What listens on the ports of a fake pod, for port-forward: an echo server (every byte comes back)
 * or a tiny HTTP server (each request is answered {@code 200} with a line naming the pod, the port,
 * the method and the path). {@link FakeAnnotations#PORTS} says which port is which; without it every
 * port the containers declare is served, HTTP for a port named {@code http...} or numbered 80 or
 * 8080, echo otherwise. Other ports refuse connections.
 */
final class FakePorts {
  private static final int MAX_HEAD = 16 * 1024;

  enum Kind { ECHO, HTTP }

  private FakePorts() {}

  /** Parses {@code 80=http,7000=echo}. */
  static Map<Integer, Kind> parse(String annotation) throws InvalidInputException {
    Map<Integer, Kind> ports = new LinkedHashMap<>();
    if (annotation == null || annotation.isBlank()) {
      return ports;
    }
    for (String entry : annotation.split(",")) {
      String[] parts = entry.trim().split("=", 2);
      try {
        int port = Integer.parseInt(parts[0].trim());
        if (port < 1 || port > 65535 || parts.length != 2) {
          throw new IllegalArgumentException();
        }
        ports.put(port, Kind.valueOf(parts[1].trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("InvalidAnnotation", "annotation " + FakeAnnotations.PORTS + ": '"
            + entry.trim() + "' is not PORT=echo or PORT=http (for example 80=http,7000=echo)");
      }
    }
    return ports;
  }

  /** What listens on {@code port}; empty when nothing does. */
  static Optional<Kind> of(V1Pod pod, Map<Integer, Kind> scripted, int port) {
    if (!scripted.isEmpty()) {
      return Optional.ofNullable(scripted.get(port));
    }
    for (V1Container container : pod.getSpec().getContainers()) {
      for (V1ContainerPort declared : Optional.ofNullable(container.getPorts()).orElse(java.util.List.of())) {
        if (declared.getContainerPort() != null && declared.getContainerPort() == port) {
          String name = declared.getName() == null ? "" : declared.getName().toLowerCase(Locale.ROOT);
          return Optional.of(name.startsWith("http") || port == 80 || port == 8080 ? Kind.HTTP : Kind.ECHO);
        }
      }
    }
    return Optional.empty();
  }

  /** Serves one connection until the client ends it (echo) or asks to close (HTTP). */
  static void serve(Kind kind, InputStream in, OutputStream out, String pod, int port) throws IOException {
    if (kind == Kind.ECHO) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
      return;
    }
    while (true) {
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] request = lines[0].split(" ");
      if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
        respond(out, "400 Bad Request", "not an HTTP/1.x request\n", false);
        return;
      }
      boolean keepAlive = !request[2].equals("HTTP/1.0");
      long body = 0;
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].toLowerCase(Locale.ROOT);
        if (line.startsWith("content-length:")) {
          body = Long.parseLong(line.substring(15).trim());
        } else if (line.startsWith("connection:")) {
          keepAlive = !line.contains("close");
        }
      }
      in.skipNBytes(body);
      respond(out, "200 OK", "fake pod " + pod + " port " + port + ": " + request[0] + " " + request[1] + "\n",
          keepAlive);
      if (!keepAlive) {
        return;
      }
    }
  }

  /** The request head up to its blank line; null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD) {
        throw new IOException("request head larger than " + MAX_HEAD + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1).trim();
  }

  private static void respond(OutputStream out, String status, String body, boolean keepAlive) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
        + content.length + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(content);
    out.flush();
  }
}
