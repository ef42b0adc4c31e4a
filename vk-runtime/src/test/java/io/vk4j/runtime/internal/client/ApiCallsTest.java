package io.vk4j.runtime.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ApiCallsTest {
  private final List<Request> sent = new ArrayList<>();
  private int answerCode = 200;
  private String answerBody = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"resourceVersion\":\"42\"}}";

  /** A client whose requests never leave the process: an interceptor records them and answers. */
  private ApiClient client(String basePath) {
    ApiClient client = new ApiClient().setBasePath(basePath);
    client.setHttpClient(new OkHttpClient.Builder().addInterceptor(chain -> {
      sent.add(chain.request());
      return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(answerCode)
          .message(answerCode == 200 ? "OK" : "Conflict")
          .body(ResponseBody.create(answerBody, MediaType.get("application/json"))).build();
    }).build());
    return client;
  }

  @Test
  void buildsTheRequestAsClientJavaWouldWithItsAuthenticationAndDefaultHeaders() throws Exception {
    ApiClient client = client("https://api.example:6443");
    client.setApiKeyPrefix("Bearer");
    client.setApiKey("s3cret");

    String answer = ApiCalls.bodyOf(new ApiCalls(client).call("PUT", "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
        "api", "v1", "namespaces", "team a", "pods", "web/1", "status"));

    assertThat(answer).isEqualTo(answerBody);
    Request request = sent.get(0);
    assertThat(request.method()).isEqualTo("PUT");
    assertThat(request.url().toString())
        .isEqualTo("https://api.example:6443/api/v1/namespaces/team%20a/pods/web%2F1/status");
    assertThat(request.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(request.header("User-Agent")).startsWith("Kubernetes Java Client");
    assertThat(request.body().contentType()).hasToString("application/json; charset=utf-8");
    Buffer body = new Buffer();
    request.body().writeTo(body);
    assertThat(body.readUtf8()).isEqualTo("{\"a\":1}");
  }

  @Test
  void keepsThePathOfTheBasePath() throws Exception {
    ApiCalls.bodyOf(new ApiCalls(client("https://proxy.example/k8s/clusters/c-1")).call("DELETE", null,
        "api", "v1", "namespaces", "ns", "pods", "web"));

    assertThat(sent.get(0).url().encodedPath()).isEqualTo("/k8s/clusters/c-1/api/v1/namespaces/ns/pods/web");
    assertThat(sent.get(0).body()).isNull();
    assertThat(sent.get(0).header("Authorization")).isNull();
  }

  @Test
  void anAnswerOutside2xxIsAnApiExceptionWithItsCodeAndBody() {
    answerCode = 409;
    answerBody = "{\"kind\":\"Status\",\"reason\":\"Conflict\"}";
    ApiCalls calls = new ApiCalls(client("https://api.example"));

    assertThatThrownBy(() -> ApiCalls.bodyOf(calls.call("POST", new byte[0], "api", "v1", "namespaces", "ns", "events")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).isEqualTo(answerBody);
        });
  }

  @Test
  void readsTheResourceVersionWithoutBindingTheObject() {
    assertThat(ApiCalls.resourceVersionOf(
        "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"c\"}]},\"metadata\":{\"name\":\"web\","
            + "\"labels\":{\"resourceVersion\":\"not this\"},\"resourceVersion\":\"7\"},\"status\":{}}"))
        .isEqualTo("7");
    assertThat(ApiCalls.resourceVersionOf("{\"kind\":\"Status\",\"metadata\":{}}")).isNull();
    assertThat(ApiCalls.resourceVersionOf("{\"metadata\":\"odd\"}")).isNull();
    assertThat(ApiCalls.resourceVersionOf("not json")).isNull();
    assertThat(ApiCalls.resourceVersionOf("")).isNull();
  }
}
