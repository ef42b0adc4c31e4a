package io.vk4j.runtime.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pod watch as the API server streams it, from a local HTTP server that answers one watch. */
class ApiListWatchTest {
  private static final String STREAM = String.join("\n",
      "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
          + "\"namespace\":\"ns\",\"uid\":\"u-1\",\"resourceVersion\":\"11\",\"managedFields\":[{\"manager\":\"x\"}]},"
          + "\"spec\":{\"nodeName\":\"vk-1\",\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]},"
          + "\"status\":{\"phase\":\"Pending\"}}}",
      // a BOOKMARK's pod has "containers": null, which client-java's own mapper refuses
      "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\","
          + "\"creationTimestamp\":null},\"spec\":{\"containers\":null},\"status\":{}}}",
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
          + "\"message\":\"too old resource version: 1 (12)\",\"reason\":\"Expired\",\"code\":410}}",
      "");

  private final HttpServer server;

  ApiListWatchTest() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/pods", exchange -> {
      byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void bindsEventsInOnePassAndKeepsBookmarksAndErrors() throws Exception {
    ApiClient client = new ApiClient().setBasePath("http://127.0.0.1:" + server.getAddress().getPort());

    try (ListWatch.Events<V1Pod> events = ApiListWatch.podsOn(client, "vk-1").watch("10")) {
      ListWatch.Event<V1Pod> added = events.next();
      assertThat(added.type()).isEqualTo("ADDED");
      assertThat(added.object().getMetadata().getName()).isEqualTo("web");
      assertThat(added.object().getSpec().getContainers()).singleElement()
          .satisfies(c -> assertThat(c.getImage()).isEqualTo("nginx"));

      ListWatch.Event<V1Pod> bookmark = events.next();
      assertThat(bookmark.type()).isEqualTo("BOOKMARK");
      assertThat(bookmark.resourceVersion()).isEqualTo("12");

      ListWatch.Event<V1Pod> error = events.next();
      assertThat(error.type()).isEqualTo("ERROR");
      assertThat(error.status().getCode()).isEqualTo(410);

      assertThat(events.next()).isNull();
    }
  }
}
