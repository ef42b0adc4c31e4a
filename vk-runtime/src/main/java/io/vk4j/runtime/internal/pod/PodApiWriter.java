package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime's only writes of pods: the status subresource, and the final delete. */
final class PodApiWriter implements PodStatusWriter {
  private static final Logger log = LoggerFactory.getLogger(PodApiWriter.class);

  private final CoreV1Api core;
  private final TokenBucket writes;

  PodApiWriter(ApiClient client, TokenBucket writes) {
    this.core = new CoreV1Api(client);
    this.writes = writes;
  }

  /**
   * A PUT of the status subresource, which costs the API server less than a patch; on a conflict
   * the pod is read again once.
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
        return Optional.of(core.replaceNamespacedPodStatus(
            current.getMetadata().getName(), current.getMetadata().getNamespace(), body).execute());
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
    okhttp3.Call call = core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace())
        .body(new V1DeleteOptions().gracePeriodSeconds(0L)
            .preconditions(new V1Preconditions().uid(pod.getMetadata().getUid())))
        .buildCall(null);
    try (okhttp3.Response response = call.execute()) {
      int code = response.code();
      if (response.isSuccessful() || code == 404 || code == 409) {
        return;
      }
      throw new ApiException(code, response.headers().toMultimap(),
          response.body() == null ? null : response.body().string());
    } catch (java.io.IOException e) {
      throw new ApiException(e);
    }
  }
}
