package io.vk4j.runtime.internal.event;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Response;

/** Events written to the API server, each write taking a token of the node's rate limit. */
final class ApiEventSink implements EventSink {
  private final ApiClient client;
  private final CoreV1Api core;
  private final TokenBucket writes;

  ApiEventSink(ApiClient client, TokenBucket writes) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.writes = writes;
  }

  @Override
  public void create(CoreV1Event event) throws ApiException, InterruptedException {
    writes.acquire();
    // client-java's request (its base path, authentication and interceptors) with a body written by
    // EventJson; the raw response: the created Event is not needed, so it is not decoded
    String path = "/api/v1/namespaces/" + client.escapeString(event.getMetadata().getNamespace()) + "/events";
    // mutable collections: the authentication adds to them
    Map<String, String> headers =
        new HashMap<>(Map.of("Accept", "application/json", "Content-Type", "application/json"));
    Call call = client.buildCall(null, path, "POST", new ArrayList<>(), new ArrayList<>(), EventJson.of(event),
        headers, new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        throw new ApiException(response.code(), response.headers().toMultimap(),
            response.body() == null ? null : response.body().string());
      }
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }

  @Override
  public void patch(String namespace, String name, String mergePatch) throws ApiException, InterruptedException {
    writes.acquire();
    PatchUtils.patch(CoreV1Event.class,
        () -> core.patchNamespacedEvent(name, namespace, new V1Patch(mergePatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }
}
