package io.vk4j.runtime.internal.event;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.runtime.internal.client.ApiCalls;
import io.vk4j.runtime.internal.queue.TokenBucket;

/** Events written to the API server, each write taking a token of the node's rate limit. */
final class ApiEventSink implements EventSink {
  private final ApiClient client;
  private final CoreV1Api core;
  private final ApiCalls calls;
  private final TokenBucket writes;

  ApiEventSink(ApiClient client, TokenBucket writes) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.calls = new ApiCalls(client);
    this.writes = writes;
  }

  @Override
  public void create(CoreV1Event event) throws ApiException, InterruptedException {
    writes.acquire();
    // the body written by EventJson; the created Event is not needed, so it is not bound
    ApiCalls.bodyOf(calls.call("POST", EventJson.of(event),
        "api", "v1", "namespaces", event.getMetadata().getNamespace(), "events"));
  }

  @Override
  public void patch(String namespace, String name, String mergePatch) throws ApiException, InterruptedException {
    writes.acquire();
    PatchUtils.patch(CoreV1Event.class,
        () -> core.patchNamespacedEvent(name, namespace, new V1Patch(mergePatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }
}
