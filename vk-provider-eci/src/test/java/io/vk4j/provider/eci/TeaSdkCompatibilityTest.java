package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tea-openapi is built against OkHttp 4; this module runs it on client-java's OkHttp 5. This checks,
 * at runtime and without the emulator, that a signed RPC call with a form body goes out and that
 * both a JSON answer and an error answer come back as expected.
 */
class TeaSdkCompatibilityTest {
  private HttpServer server;
  private final AtomicReference<Map<String, String>> lastForm = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String body = "{\"RequestId\":\"r1\",\"ContainerGroupId\":\"eci-42\"}";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = new HashMap<>();
      for (String pair : form.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String query = exchange.getRequestURI().getRawQuery();
      for (String pair : query == null ? new String[0] : query.split("&")) {
        int eq = pair.indexOf('=');
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      lastForm.set(params);
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private TeaTransport transport() throws Exception {
    return new TeaTransport(TestPods.settings().endpoint("127.0.0.1:" + server.getAddress().getPort()).build());
  }

  @Test
  void aSignedRpcCallRoundTripsOnOkHttp5() throws Exception {
    Map<String, Object> response = transport().call("CreateContainerGroup",
        Map.of("ContainerGroupName", "shop-web", "Container.1.Command.1", "sh"), Duration.ofSeconds(5));

    assertThat(response).containsEntry("ContainerGroupId", "eci-42");
    assertThat(lastForm.get())
        .containsEntry("Action", "CreateContainerGroup")
        .containsEntry("Version", "2018-08-08")
        .containsEntry("RegionId", "cn-hangzhou")
        .containsEntry("ContainerGroupName", "shop-web")
        .containsEntry("Container.1.Command.1", "sh")
        .containsEntry("SignatureMethod", "HMAC-SHA1")
        .containsEntry("AccessKeyId", "ak")
        .containsKeys("Signature", "SignatureNonce", "Timestamp");
    assertThat(okhttp3.OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString())
        .contains("okhttp-jvm-5");
  }

  @Test
  void anErrorAnswerBecomesAnEciApiExceptionWithCodeAndStatus() throws Exception {
    status = 400;
    body = "{\"RequestId\":\"r2\",\"Code\":\"Throttling.User\",\"Message\":\"Request was denied due to user flow control.\"}";
    assertThatThrownBy(() -> transport().call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(5)))
        .isInstanceOf(EciApiException.class)
        .satisfies(e -> {
          EciApiException error = (EciApiException) e;
          assertThat(error.code()).isEqualTo("Throttling.User");
          assertThat(error.httpStatus()).isEqualTo(400);
          assertThat(error.isThrottling()).isTrue();
        });
  }

  @Test
  void noAnswerIsATransportError() throws Exception {
    TeaTransport transport = transport();
    server.stop(0);
    assertThatThrownBy(() -> transport.call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(2)))
        .isInstanceOf(EciApiException.class)
        .satisfies(e -> assertThat(((EciApiException) e).isTransportError()).isTrue());
  }
}
