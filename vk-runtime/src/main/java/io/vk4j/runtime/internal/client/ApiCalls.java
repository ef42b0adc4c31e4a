package io.vk4j.runtime.internal.client;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The requests a node sends once or more per pod (status {@code PUT}, {@code DELETE}, Event
 * {@code POST}), built on client-java's {@link ApiClient} (its base path, default headers,
 * authentication and HTTP client with its interceptors) but not by its request builder, which
 * builds the URL twice and parses it twice, serializes the body and then reads it back as text, and
 * matches media types with regular expressions. Measured in a node: a status PUT took 255 µs of CPU
 * to build and an Event POST 324 µs, 165 and 142 µs so (docs/benchmark.md, finding 20). Internal to
 * vk4j.
 */
public final class ApiCalls {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String[] AUTH_NAMES = {"BearerToken"}; // what client-java's generated APIs name

  private final ApiClient client;
  private final HttpUrl base;

  public ApiCalls(ApiClient client) {
    this.client = client;
    this.base = HttpUrl.get(client.getBasePath());
  }

  /**
   * A call of {@code method} on the base path followed by {@code segments} (each escaped as one
   * path segment), with a JSON body or none.
   */
  public Call call(String method, byte[] jsonBody, String... segments) throws ApiException {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : segments) {
      url.addPathSegment(segment);
    }
    HttpUrl unauthenticated = url.build();
    // mutable collections: the authentication adds to them
    List<Pair> query = new ArrayList<>();
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    Map<String, String> cookies = new HashMap<>();
    client.updateParamsForAuth(AUTH_NAMES, query, headers, cookies, null, method, unauthenticated.uri());
    for (Pair parameter : query) {
      url.addQueryParameter(parameter.getName(), parameter.getValue());
    }
    Request.Builder request = new Request.Builder().url(query.isEmpty() ? unauthenticated : url.build());
    client.processHeaderParams(headers, request);
    client.processCookieParams(cookies, request);
    request.method(method, jsonBody == null ? null : RequestBody.create(jsonBody, JSON));
    return client.getHttpClient().newCall(request.build());
  }

  /**
   * Executes {@code call}: the body of a 2xx answer; otherwise an {@link ApiException} with the
   * status code, headers and body, as client-java throws it.
   */
  public static String bodyOf(Call call) throws ApiException {
    try (Response response = call.execute()) {
      String body = response.body() == null ? null : response.body().string();
      if (!response.isSuccessful()) {
        throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), body);
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  /**
   * {@code metadata.resourceVersion} of an object's JSON, read without binding the rest; {@code null}
   * when it has none.
   */
  public static String resourceVersionOf(String json) {
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      reader.beginObject();
      while (reader.hasNext()) {
        if (!reader.nextName().equals("metadata") || reader.peek() != JsonToken.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        reader.beginObject();
        while (reader.hasNext()) {
          if (reader.nextName().equals("resourceVersion") && reader.peek() == JsonToken.STRING) {
            return reader.nextString();
          }
          reader.skipValue();
        }
        return null;
      }
      return null;
    } catch (IOException | IllegalStateException e) {
      return null; // not an object with metadata
    }
  }
}
