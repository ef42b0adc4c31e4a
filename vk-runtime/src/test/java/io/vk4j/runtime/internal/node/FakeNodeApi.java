package io.vk4j.runtime.internal.node;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Node and Lease of one node in memory, answering like the API server: a status patch merges
 * conditions by type, a PUT of a missing Lease creates it (leases allow create on update).
 */
final class FakeNodeApi {
  private volatile V1Node node;
  private volatile V1Lease lease;
  final List<V1NodeStatus> statusPatches = new CopyOnWriteArrayList<>();
  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger renewals = new AtomicInteger();
  private final AtomicInteger version = new AtomicInteger();

  /** The Node, as the node controller reads and writes it. */
  final NodeClient nodes = new NodeClient() {
    @Override
    public String serverVersion() {
      return "v1.20.2";
    }

    @Override
    public Optional<V1Node> read(String name) {
      return Optional.ofNullable(node).map(FakeNodeApi::copy);
    }

    @Override
    public V1Node create(V1Node created) throws ApiException {
      if (node != null) {
        throw new ApiException(409, "already exists");
      }
      creates.incrementAndGet();
      node = copy(created);
      node.getMetadata().uid(UUID.randomUUID().toString()).resourceVersion(String.valueOf(version.incrementAndGet()));
      return copy(node);
    }

    @Override
    public void patch(String name, String mergePatch) throws ApiException {
      if (node == null) {
        throw new ApiException(404, "not found");
      }
      JsonObject patch = JsonParser.parseString(mergePatch).getAsJsonObject();
      JsonObject labels = patch.getAsJsonObject("metadata").getAsJsonObject("labels");
      labels.entrySet().forEach(e -> node.getMetadata().putLabelsItem(e.getKey(), e.getValue().getAsString()));
    }

    @Override
    public V1Node patchStatus(String name, String strategicMergePatch) throws ApiException {
      if (node == null) {
        throw new ApiException(404, "not found");
      }
      V1NodeStatus status = JSON.deserialize(JsonParser.parseString(strategicMergePatch).getAsJsonObject()
          .get("status").toString(), V1NodeStatus.class);
      statusPatches.add(status);
      List<V1NodeCondition> merged = new ArrayList<>(node.getStatus() == null || node.getStatus().getConditions() == null
          ? List.of() : node.getStatus().getConditions());
      for (V1NodeCondition condition : status.getConditions()) {
        merged.removeIf(c -> c.getType().equals(condition.getType()));
        merged.add(condition);
      }
      status.setConditions(merged);
      node.setStatus(status);
      node.getMetadata().setResourceVersion(String.valueOf(version.incrementAndGet()));
      return copy(node);
    }
  };

  /** Someone else writes a condition, as the node lifecycle controller does. */
  synchronized V1Node setCondition(String type, String status) {
    node.getStatus().getConditions().removeIf(c -> c.getType().equals(type));
    node.getStatus().getConditions().add(new V1NodeCondition().type(type).status(status).reason("NodeStatusUnknown")
        .message("Kubelet stopped posting node status."));
    return copy(node);
  }

  synchronized V1Node deleteNode() {
    V1Node gone = node;
    node = null;
    return gone;
  }

  synchronized void deleteLease() {
    lease = null;
  }

  synchronized V1Node node() {
    return node == null ? null : copy(node);
  }

  synchronized V1Lease lease() {
    return lease;
  }

  /** The Ready condition of the Node, as {@code status/reason/message}. */
  synchronized String ready() {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .map(c -> c.getStatus() + "/" + c.getReason() + "/" + c.getMessage()).findFirst().orElse(null);
  }

  synchronized String leaseOwner() {
    return lease == null ? null : lease.getMetadata().getOwnerReferences().get(0).getUid();
  }

  /** The Lease, as the lease keeper reads and writes it. */
  final LeaseClient leases = new LeaseClient() {
    @Override
    public Optional<V1Lease> read(String name) {
      return Optional.ofNullable(lease).map(l -> JSON.deserialize(JSON.serialize(l), V1Lease.class));
    }

    @Override
    public V1Lease create(V1Lease created) throws ApiException {
      if (lease != null) {
        throw new ApiException(409, "already exists");
      }
      lease = JSON.deserialize(JSON.serialize(created), V1Lease.class);
      renewals.incrementAndGet();
      return lease;
    }

    @Override
    public Replaced replace(V1Lease replaced) {
      boolean created = lease == null;
      lease = JSON.deserialize(JSON.serialize(replaced), V1Lease.class);
      renewals.incrementAndGet();
      return new Replaced(lease, created);
    }
  };

  private static V1Node copy(V1Node node) {
    return JSON.deserialize(JSON.serialize(node), V1Node.class);
  }
}
