package io.vk4j.runtime.internal.client;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Watch;
import io.vk4j.runtime.json.LeanJson;
import java.io.IOException;
import java.lang.reflect.Type;
import okhttp3.Call;

/**
 * A watch whose events are bound in one pass by the lean mapper ({@link LeanJson#mapper()}), not read
 * into a JSON tree first: client-java's own mapper rejects a BOOKMARK's pod ({@code "containers":
 * null}), so the watch used to read each event as a tree and bind it afterwards. ERROR events keep
 * client-java's handling.
 */
final class LeanWatch<T> extends Watch<T> {
  private final Gson gson = LeanJson.mapper();
  private final Type responseType;

  private LeanWatch(ApiClient client, okhttp3.Response response, Type responseType, Call call) {
    super(client.getJSON(), response.body(), responseType, call);
    this.responseType = responseType;
  }

  /** Starts the watch {@code call} for objects of {@code type}, as {@link Watch#createWatch} does. */
  static <T> LeanWatch<T> start(ApiClient client, Call call, Class<T> type) throws ApiException {
    okhttp3.Response response; // Watch.Response is the event
    try {
      response = call.execute();
    } catch (IOException e) {
      throw new ApiException(e);
    }
    if (!response.isSuccessful()) {
      String body = null;
      try (response) {
        body = response.body() == null ? null : response.body().string();
      } catch (IOException e) {
        // the status code says enough
      }
      throw new ApiException(response.message(), response.code(), response.headers().toMultimap(), body);
    }
    return new LeanWatch<>(client, response, TypeToken.getParameterized(Watch.Response.class, type).getType(), call);
  }

  @Override
  protected Watch.Response<T> parseLine(String line) throws IOException {
    if (isStatus(line)) {
      return super.parseLine(line);
    }
    return gson.fromJson(line, responseType);
  }
}
