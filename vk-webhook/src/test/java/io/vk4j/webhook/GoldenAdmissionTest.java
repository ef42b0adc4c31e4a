package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import io.vk4j.testkit.tls.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases: each directory of {@code src/test/resources/golden} holds {@code request.json} (the
 * body sent over HTTPS), {@code case.json} (how to send it: method, content type, path, rules file)
 * and {@code expected.json} (HTTP status, allowed, the decoded JSON Patch, warnings or the error).
 * Every mutating case is also replayed on its own output: the second answer must carry no patch.
 * Run with {@code -Dgolden.update=true} to rewrite the expected files (then review the diff).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenAdmissionTest {

  private static final Path CASES = Path.of("src/test/resources/golden");
  private static final Path SUPPORT = Path.of("src/test/resources/golden-support");
  private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final int MAX_BYTES = 3 * 1024 * 1024;

  private final AtomicReference<AffinityConfig> config = new AtomicReference<>(AffinityConfig.defaults());
  private SelfSignedCertificates.Issued certificates;
  private WebhookServer server;
  private HttpClient client;

  @BeforeAll
  void startServer() throws Exception {
    certificates = SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of("127.0.0.1"));
    Map<String, Map<String, String>> namespaces = new HashMap<>();
    JsonParser.parseString(Files.readString(SUPPORT.resolve("namespaces.json"))).getAsJsonObject()
        .entrySet().forEach(e -> namespaces.put(e.getKey(), PodMutator.stringMap(e.getValue(), e.getKey())));
    AdmissionController controller = new AdmissionController(config::get, NamespaceLabels.fixed(namespaces));
    server = new WebhookServer(ServerOptions.builder().bindAddress("127.0.0.1").port(0).maxRequestBytes(MAX_BYTES).build(),
        new ReloadingKeyManager(certificates.serving()), controller, () -> true);
    server.start();
    client = TestTls.client(certificates.ca());
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CASES)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(String name) throws Exception {
    Path dir = CASES.resolve(name);
    JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("case.json"))).getAsJsonObject();
    config.set(spec.has("config")
        ? ConfigParser.parse(Files.readString(SUPPORT.resolve(spec.get("config").getAsString())))
        : AffinityConfig.defaults());
    byte[] body = Files.exists(dir.resolve("request.json")) ? Files.readAllBytes(dir.resolve("request.json")) : new byte[0];

    Answer answer = send(spec, body);
    JsonObject actual = summarize(answer);

    Path expectedFile = dir.resolve("expected.json");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(expectedFile, PRETTY.toJson(actual) + "\n");
    }
    JsonElement expected = JsonParser.parseString(Files.readString(expectedFile));
    assertThat(actual).as("answer to %s", name).isEqualTo(expected);

    if (answer.status == 200) {
      JsonObject response = JsonParser.parseString(answer.body).getAsJsonObject().getAsJsonObject("response");
      JsonObject request = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
      assertThat(response.get("uid")).isEqualTo(request.getAsJsonObject("request").get("uid"));
      if (actual.has("patch")) {
        assertIdempotent(spec, request, actual);
      }
    }
  }

  /** The pod after the patch, reviewed again, gets no patch and the same warnings. */
  private void assertIdempotent(JsonObject spec, JsonObject review, JsonObject first) throws Exception {
    JsonObject request = review.getAsJsonObject("request");
    JsonObject patched = JsonPatchApplier.apply(request.getAsJsonObject("object"), first.getAsJsonArray("patch"));
    request.add("object", patched);
    request.addProperty("uid", request.get("uid").getAsString() + "-again");
    JsonObject again = summarize(send(spec, review.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(again.has("patch")).as("second review patches again: %s", again).isFalse();
    assertThat(again.get("warnings")).isEqualTo(first.get("warnings"));
  }

  private Answer send(JsonObject spec, byte[] body) throws Exception {
    String path = spec.has("path") ? spec.get("path").getAsString() : "/mutate";
    String generate = spec.has("generate") ? spec.get("generate").getAsString() : "";
    if (generate.equals("oversized")) {
      return raw(("POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (MAX_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 0);
    }
    if (generate.equals("oversized-chunked")) {
      return raw(("POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII), MAX_BYTES + 8192);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .header("Content-Type", spec.has("contentType") ? spec.get("contentType").getAsString() : "application/json");
    String method = spec.has("method") ? spec.get("method").getAsString() : "POST";
    request.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  /** Over a bare TLS socket, to send a lying Content-Length or a chunked body of a chosen size. */
  private Answer raw(byte[] head, int chunkedBytes) throws Exception {
    try (SSLSocket socket = (SSLSocket) TestTls.trusting(certificates.ca()).getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      byte[] chunk = new byte[8192];
      java.util.Arrays.fill(chunk, (byte) ' ');
      for (int sent = 0; sent < chunkedBytes; sent += chunk.length) {
        out.write(("2000\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      if (chunkedBytes > 0) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      String response = readResponse(socket.getInputStream());
      int status = Integer.parseInt(response.substring(9, 12));
      return new Answer(status, response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int contentLength = -1;
    int headerEnd = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      bytes.write(b);
      String text = bytes.toString(StandardCharsets.ISO_8859_1);
      if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
        headerEnd = text.length();
        for (String line : text.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-length:")) {
            contentLength = Integer.parseInt(line.substring(15).trim());
          }
        }
      }
      if (headerEnd >= 0 && contentLength >= 0 && bytes.size() >= headerEnd + contentLength) {
        break;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The parts of an answer a golden file pins down. */
  private static JsonObject summarize(Answer answer) {
    JsonObject summary = new JsonObject();
    summary.addProperty("status", answer.status);
    JsonObject body = JsonParser.parseString(answer.body).getAsJsonObject();
    if (answer.status != 200) {
      summary.addProperty("reason", body.get("reason").getAsString());
      summary.addProperty("message", body.get("message").getAsString());
      return summary;
    }
    assertThat(body.get("apiVersion").getAsString()).isEqualTo("admission.k8s.io/v1");
    assertThat(body.get("kind").getAsString()).isEqualTo("AdmissionReview");
    JsonObject response = body.getAsJsonObject("response");
    summary.add("allowed", response.get("allowed"));
    if (response.has("patch")) {
      assertThat(response.get("patchType").getAsString()).isEqualTo("JSONPatch");
      JsonArray patch = JsonParser.parseString(new String(
          Base64.getDecoder().decode(response.get("patch").getAsString()), StandardCharsets.UTF_8)).getAsJsonArray();
      summary.add("patch", patch);
    } else {
      assertThat(response.has("patchType")).isFalse();
    }
    if (response.has("warnings")) {
      summary.add("warnings", response.get("warnings"));
    }
    return summary;
  }

  private record Answer(int status, String body) {}
}
