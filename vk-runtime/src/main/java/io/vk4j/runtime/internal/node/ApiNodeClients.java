package io.vk4j.runtime.internal.node;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.ApiResponse;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link NodeClient} and {@link LeaseClient} on a real API server; every write takes a token. */
final class ApiNodeClients {
  private static final Logger log = LoggerFactory.getLogger(ApiNodeClients.class);
  static final String LEASE_NAMESPACE = "kube-node-lease";

  private ApiNodeClients() {}

  static NodeClient nodes(ApiClient client, TokenBucket writes) {
    CoreV1Api core = new CoreV1Api(client);
    return new NodeClient() {
      @Override
      public String serverVersion() {
        try {
          return new VersionApi(client).getCode().execute().getGitVersion();
        } catch (ApiException | RuntimeException e) {
          log.debug("could not read the API server version", e);
          return "v0.0.0";
        }
      }

      @Override
      public Optional<V1Node> read(String name) throws ApiException {
        return ApiErrors.absentOn404(() -> core.readNode(name).execute());
      }

      @Override
      public V1Node create(V1Node node) throws ApiException, InterruptedException {
        writes.acquire();
        return core.createNode(node).execute();
      }

      @Override
      public void patch(String name, String mergePatch) throws ApiException, InterruptedException {
        writes.acquire();
        PatchUtils.patch(V1Node.class, () -> core.patchNode(name, new V1Patch(mergePatch)).buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
      }

      @Override
      public V1Node patchStatus(String name, String strategicMergePatch) throws ApiException, InterruptedException {
        writes.acquire();
        return PatchUtils.patch(V1Node.class,
            () -> core.patchNodeStatus(name, new V1Patch(strategicMergePatch)).buildCall(null),
            V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
      }
    };
  }

  static LeaseClient leases(ApiClient client, TokenBucket writes) {
    CoordinationV1Api coordination = new CoordinationV1Api(client);
    return new LeaseClient() {
      @Override
      public Optional<V1Lease> read(String name) throws ApiException {
        return ApiErrors.absentOn404(() -> coordination.readNamespacedLease(name, LEASE_NAMESPACE).execute());
      }

      @Override
      public V1Lease create(V1Lease lease) throws ApiException, InterruptedException {
        writes.acquire();
        return coordination.createNamespacedLease(LEASE_NAMESPACE, lease).execute();
      }

      @Override
      public Replaced replace(V1Lease lease) throws ApiException, InterruptedException {
        writes.acquire();
        // a PUT of a Lease that is gone creates it again (201), so the answer's code says it was gone
        ApiResponse<V1Lease> response = coordination
            .replaceNamespacedLease(lease.getMetadata().getName(), LEASE_NAMESPACE, lease).executeWithHttpInfo();
        return new Replaced(response.getData(), response.getStatusCode() == 201);
      }
    };
  }

}
