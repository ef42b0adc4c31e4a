package io.vk4j.runtime.pod;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.runtime.queue.TokenBucket;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime's only writes of pods: the status subresource, and the final delete. */
final class PodApiWriter {
  private static final Logger log = LoggerFactory.getLogger(PodApiWriter.class);

  private final ApiClient client;
  private final CoreV1Api core;
  private final TokenBucket writes;

  PodApiWriter(ApiClient client, TokenBucket writes) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.writes = writes;
  }

  /**
   * Replaces the status of {@code pod} (this UID only). Returns the pod as written, or empty when
   * the pod is gone or was replaced by a successor of the same name.
   */
  Optional<V1Pod> writeStatus(V1Pod pod, V1PodStatus status) throws ApiException, InterruptedException {
    String patch = PodStatuses.replacePatch(pod.getMetadata().getUid(), pod.getStatus(), status);
    writes.acquire();
    try {
      V1Pod written = PatchUtils.patch(V1Pod.class,
          () -> core.patchNamespacedPodStatus(pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
              new V1Patch(patch)).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
      return Optional.of(written);
    } catch (ApiException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        log.debug("pod {} gone or replaced, status not written", Pods.key(pod));
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Removes {@code pod} (this UID only) from the API server at once; gone already is fine. */
  void delete(V1Pod pod) throws ApiException, InterruptedException {
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
