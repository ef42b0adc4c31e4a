package io.vk4j.runtime.internal.client;

import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;

/** DELETE requests, sent raw. Internal to vk4j. */
public final class Deletes {
  private Deletes() {}

  /**
   * Sends a delete built with client-java: the API server answers with the object or with a Status, and
   * either means done, as do 404 (gone already) and 409 (a UID precondition failed: a successor).
   */
  public static void send(okhttp3.Call call) throws ApiException {
    try (okhttp3.Response response = call.execute()) {
      int code = response.code();
      if (response.isSuccessful() || code == 404 || code == 409) {
        return;
      }
      throw new ApiException(code, response.headers().toMultimap(),
          response.body() == null ? null : response.body().string());
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }
}
