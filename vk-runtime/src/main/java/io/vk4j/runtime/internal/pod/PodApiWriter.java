package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.vk4j.runtime.internal.client.ApiCalls;
import io.vk4j.runtime.internal.client.Deletes;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime's only writes of pods: the status subresource, and the final delete. */
final class PodApiWriter implements PodStatusWriter {
  private static final Logger log = LoggerFactory.getLogger(PodApiWriter.class);

  private final CoreV1Api core;
  private final ApiCalls calls;
  private final JSON json;
  private final TokenBucket writes;

  PodApiWriter(ApiClient client, TokenBucket writes) {
    this.core = new CoreV1Api(client);
    this.calls = new ApiCalls(client);
    this.json = client.getJSON();
    this.writes = writes;
  }

  /**
   * A PUT of the status subresource, which costs the API server less than a patch; on a conflict
   * the pod is read again once. Answers the pod as sent with the resource version the API server
   * gave it, not the pod it answered: binding that cost more than the rest of a pod's reconcile
   * (docs/benchmark.md), and the watch event of the write, which follows, brings the stored pod.
   */
  @Override
  public Optional<V1Pod> writeStatus(V1Pod pod, V1PodStatus status) throws ApiException, InterruptedException {
    V1Pod current = pod;
    for (int attempt = 1; ; attempt++) {
      // a shallow copy: the cached pod is shared and must not change
      V1Pod body = new V1Pod().apiVersion("v1").kind("Pod")
          .metadata(current.getMetadata()).spec(current.getSpec()).status(status);
      writes.acquire();
      try {
        String answer = ApiCalls.bodyOf(calls.call("PUT", jsonOf(body),
            "api", "v1", "namespaces", current.getMetadata().getNamespace(), "pods", current.getMetadata().getName(),
            "status"));
        return Optional.of(written(body, answer));
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return Optional.empty();
        }
        if (e.getCode() != 409 || attempt >= 2) {
          throw e;
        }
      }
      current = reread(current);
      if (current == null) {
        log.debug("pod {} gone or replaced, status not written", Pods.key(pod));
        return Optional.empty();
      }
    }
  }

  private byte[] jsonOf(Object model) {
    return json.serialize(model).getBytes(StandardCharsets.UTF_8);
  }

  private V1Pod written(V1Pod sent, String answer) {
    String version = ApiCalls.resourceVersionOf(answer);
    if (version == null) {
      return json.deserialize(answer, V1Pod.class); // not expected of a pod: bind what came
    }
    V1ObjectMeta metadata = ModelCopy.of(sent.getMetadata()); // the cached pod's, shared: not changed
    metadata.setResourceVersion(version);
    return new V1Pod().apiVersion(sent.getApiVersion()).kind(sent.getKind()).metadata(metadata)
        .spec(sent.getSpec()).status(sent.getStatus());
  }

  /** The pod as the API server has it now, or {@code null} when it is gone or is a successor. */
  private V1Pod reread(V1Pod pod) throws ApiException {
    try {
      V1Pod fresh = core.readNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).execute();
      if (!pod.getMetadata().getUid().equals(fresh.getMetadata().getUid())) {
        return null;
      }
      fresh.getMetadata().setManagedFields(null);
      return fresh;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public void delete(V1Pod pod) throws ApiException, InterruptedException {
    writes.acquire();
    // the raw response: the API server answers with a Pod or a Status, and either means done
    V1DeleteOptions options = new V1DeleteOptions().gracePeriodSeconds(0L)
        .preconditions(new V1Preconditions().uid(pod.getMetadata().getUid()));
    Deletes.send(calls.call("DELETE", jsonOf(options),
        "api", "v1", "namespaces", pod.getMetadata().getNamespace(), "pods", pod.getMetadata().getName()));
  }
}
