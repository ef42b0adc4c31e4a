package io.vk4j.runtime.kubelet;

import com.sun.net.httpserver.HttpExchange;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: streams a container's log from the
 * provider, chunked, flushing whatever the provider has produced so that {@code follow} is live.
 */
final class ContainerLogsEndpoint {
  private static final int BUFFER_SIZE = 8192;

  private final Provider provider;
  /** Logs being served, closed when the server stops so that followers end. */
  private final Set<InputStream> openLogs = ConcurrentHashMap.newKeySet();

  ContainerLogsEndpoint(Provider provider) {
    this.provider = provider;
  }

  void serve(HttpExchange exchange, List<String> pathAfterPrefix) throws HttpError, ProviderException, IOException {
    ContainerRef container = containerRef(pathAfterPrefix, "containerLogs");
    if (!(provider instanceof ContainerLogs logs)) {
      throw HttpError.notImplemented("the provider does not serve container logs");
    }
    ContainerLogOptions options =
        ContainerLogQuery.parse(QueryParameters.parse(exchange.getRequestURI().getRawQuery()));
    InputStream log = logs.containerLogs(container, options);
    if (log == null) {
      throw new IllegalStateException("the provider returned no log stream for " + container);
    }
    openLogs.add(log);
    try (log) {
      exchange.getResponseHeaders().set("Content-Type", Exchanges.TEXT);
      exchange.sendResponseHeaders(200, 0); // 0: chunked, length unknown
      try (OutputStream body = exchange.getResponseBody()) {
        copy(log, body, options.limitBytes().orElse(Long.MAX_VALUE));
      }
    } finally {
      openLogs.remove(log);
    }
  }

  /** Closes every log being served; their requests end. */
  void closeAll() {
    for (InputStream log : openLogs) {
      try {
        log.close();
      } catch (IOException | RuntimeException e) {
        // the request thread notices the closed stream and ends; nothing else to do
      }
    }
  }

  /** Copies at most {@code limit} bytes; enforced here too, whatever the provider did with it. */
  private static void copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    long remaining = limit;
    while (remaining > 0) {
      int read;
      try {
        read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      } catch (IOException e) {
        return; // the log was closed under us (server stopping, container gone): end the response
      }
      if (read < 0) {
        return;
      }
      out.write(buffer, 0, read);
      out.flush();
      remaining -= read;
    }
  }

  /** {@code {namespace}/{pod}/{container}} from the path segments after the endpoint's prefix. */
  static ContainerRef containerRef(List<String> segments, String endpoint) throws HttpError {
    if (segments.size() != 3 || segments.stream().anyMatch(String::isEmpty)) {
      throw HttpError.notFound("expected /" + endpoint + "/{namespace}/{pod}/{container}");
    }
    return ContainerRef.of(segments.get(0), segments.get(1), segments.get(2));
  }
}
