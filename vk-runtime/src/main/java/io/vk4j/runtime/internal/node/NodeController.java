package io.vk4j.runtime.internal.node;

import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.api.NodeChangeListener;
import io.vk4j.api.Provider;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node and keeps it alive: a Lease in {@code kube-node-lease} renewed well inside its
 * duration, and a node status heartbeat on a longer period and whenever the provider signals a
 * change. While the provider's ping fails, both stop, so the control plane marks the node NotReady.
 * Only the fields the runtime owns are patched; a Node deleted from outside is registered again.
 * All work runs on one thread per node. Internal to vk4j.
 */
public final class NodeController implements NodeChangeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeController.class);
  private static final String LEASE_NAMESPACE = "kube-node-lease";

  private final ApiClient client;
  private final CoreV1Api core;
  private final CoordinationV1Api coordination;
  private final Provider provider;
  private final TokenBucket writes;
  private final NodeSettings settings;
  private final ScheduledExecutorService thread;
  private final CompletableFuture<Void> registered = new CompletableFuture<>();
  private final AtomicBoolean changeSignalled = new AtomicBoolean();

  private volatile Map<String, Quantity> allocatable = Map.of();
  private volatile boolean healthy = true;
  private volatile String problem = "not registered yet";
  private String kubeletVersion;
  private V1Node template;
  private String nodeUid;
  private V1Lease lease;
  private OffsetDateTime readySince;
  private long registerBackoffMillis = 100;

  public NodeController(ApiClient client, Provider provider, TokenBucket writes, NodeSettings settings) {
    this.client = client;
    this.core = new CoreV1Api(client);
    this.coordination = new CoordinationV1Api(client);
    this.provider = provider;
    this.writes = writes;
    this.settings = settings;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, settings.nodeName() + "-node");
      t.setDaemon(true);
      return t;
    });
  }

  /** Registers the node in the background, then starts the heartbeats. */
  public void start() {
    provider.notifyNodeChanges(this);
    thread.execute(this::registerAndStartHeartbeats);
  }

  /** Completes once the Node and its Lease exist. */
  public CompletableFuture<Void> registered() {
    return registered;
  }

  /** What keeps the node from being registered or healthy, or {@code null}. */
  public String problem() {
    return problem;
  }

  /** The node's allocatable resources, as the provider last described them. */
  public Map<String, Quantity> allocatable() {
    return allocatable;
  }

  @Override
  public void nodeChanged() {
    if (changeSignalled.compareAndSet(false, true)) {
      thread.execute(() -> {
        changeSignalled.set(false);
        template = null; // ask the provider again
        if (registered.isDone() && healthy) {
          updateStatus();
        }
      });
    }
  }

  private void registerAndStartHeartbeats() {
    if (!register()) {
      thread.schedule(this::registerAndStartHeartbeats, registerBackoffMillis, TimeUnit.MILLISECONDS);
      registerBackoffMillis = Math.min(registerBackoffMillis * 2, 7_000);
      return;
    }
    renewLease();
    registered.complete(null);
    problem = null;
    thread.scheduleWithFixedDelay(this::ping, settings.pingInterval().toMillis(),
        settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::leaseTick, settings.leaseRenewInterval().toMillis(),
        settings.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::statusTick, settings.statusUpdatePeriod().toMillis(),
        settings.statusUpdatePeriod().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Creates the Node, or brings our part of an existing one up to date. */
  private boolean register() {
    try {
      if (kubeletVersion == null) {
        kubeletVersion = serverVersion() + "-vk4j-" + settings.runtimeVersion();
      }
      V1Node desired = template();
      readySince = now();
      desired.getStatus().setConditions(NodeTemplate.healthyConditions(readySince, readySince));
      V1Node existing = readNode();
      if (existing == null) {
        writes.acquire();
        V1Node created = core.createNode(desired).execute();
        nodeUid = created.getMetadata().getUid();
        // a create may drop the status: set it through the status subresource as well
        patchStatus(desired.getStatus());
        log.info("node {} registered (provider {})", settings.nodeName(), settings.providerName());
      } else {
        nodeUid = existing.getMetadata().getUid();
        patchMetadataAndTaint(existing, desired);
        patchStatus(desired.getStatus());
        log.info("node {} exists, updated our part of it", settings.nodeName());
      }
      lease = null;
      registerBackoffMillis = 100;
      return true;
    } catch (ApiException e) {
      problem = "registering node " + settings.nodeName() + " failed: HTTP " + e.getCode() + " " + body(e);
      log.warn(problem);
    } catch (RuntimeException e) {
      problem = "registering node " + settings.nodeName() + " failed: " + e;
      log.warn(problem, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private String serverVersion() {
    try {
      return new VersionApi(client).getCode().execute().getGitVersion();
    } catch (ApiException | RuntimeException e) {
      log.debug("could not read the API server version", e);
      return "v0.0.0";
    }
  }

  private V1Node template() {
    if (template == null) {
      template = NodeTemplate.build(settings, provider, kubeletVersion);
      allocatable = Map.copyOf(template.getStatus().getAllocatable());
    }
    return JSON.deserialize(JSON.serialize(template), V1Node.class);
  }

  private V1Node readNode() throws ApiException {
    try {
      return core.readNode(settings.nodeName()).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /** Our labels by a merge patch; our taint added to the others' with an optimistic lock. */
  private void patchMetadataAndTaint(V1Node existing, V1Node desired) throws ApiException, InterruptedException {
    V1Node current = existing;
    for (int attempt = 1; ; attempt++) {
      JsonObject metadata = new JsonObject();
      JsonObject labels = new JsonObject();
      desired.getMetadata().getLabels().forEach(labels::addProperty);
      metadata.add("labels", labels);
      JsonObject patch = new JsonObject();
      patch.add("metadata", metadata);
      List<V1Taint> currentTaints = current.getSpec() == null ? null : current.getSpec().getTaints();
      List<V1Taint> taints = settings.taint().map(t -> NodeTemplate.withOurTaint(currentTaints, t)).orElse(null);
      if (taints != null) {
        // the whole list is replaced: fail rather than drop a taint somebody added meanwhile
        metadata.addProperty("resourceVersion", current.getMetadata().getResourceVersion());
        JsonObject spec = new JsonObject();
        spec.add("taints", JSON.getGson().toJsonTree(taints));
        patch.add("spec", spec);
      }
      try {
        writes.acquire();
        PatchUtils.patch(V1Node.class,
            () -> core.patchNode(settings.nodeName(), new V1Patch(patch.toString())).buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        return;
      } catch (ApiException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
        current = readNode();
        if (current == null) {
          throw e;
        }
      }
    }
  }

  /** A strategic merge patch of the status subresource with only the fields we own. */
  private void patchStatus(V1NodeStatus status) throws ApiException, InterruptedException {
    JsonObject patch = new JsonObject();
    patch.add("status", JSON.getGson().toJsonTree(status));
    writes.acquire();
    PatchUtils.patch(V1Node.class,
        () -> core.patchNodeStatus(settings.nodeName(), new V1Patch(patch.toString())).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }

  private void ping() {
    boolean ok;
    try {
      provider.ping();
      ok = true;
    } catch (Exception e) {
      ok = false;
      if (healthy) {
        problem = "provider ping failed: " + e.getMessage();
        log.warn("node {}: {}; stopping heartbeats", settings.nodeName(), problem);
      }
    }
    if (ok && !healthy) {
      log.info("node {}: provider ping recovered; resuming heartbeats", settings.nodeName());
      healthy = true;
      problem = null;
      readySince = now();
      renewLease();
      updateStatus();
    }
    healthy = ok;
  }

  private void leaseTick() {
    if (healthy) {
      renewLease();
    }
  }

  private void statusTick() {
    if (healthy) {
      updateStatus();
    }
  }

  private void updateStatus() {
    try {
      V1NodeStatus status = template().getStatus();
      status.setConditions(NodeTemplate.healthyConditions(now(), readySince));
      patchStatus(status);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        nodeGone();
      } else {
        log.warn("node {}: status update failed: HTTP {} {}", settings.nodeName(), e.getCode(), body(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("node {}: status update failed", settings.nodeName(), e);
    }
  }

  private void renewLease() {
    try {
      if (lease == null) {
        lease = readLease();
        if (lease == null) {
          createLease();
          return;
        }
      }
      if (lease.getMetadata().getOwnerReferences() == null
          || lease.getMetadata().getOwnerReferences().stream().noneMatch(o -> nodeUid.equals(o.getUid()))) {
        lease.getMetadata().setOwnerReferences(List.of(owner()));
      }
      lease.setSpec(leaseSpec());
      writes.acquire();
      lease = coordination.replaceNamespacedLease(settings.nodeName(), LEASE_NAMESPACE, lease).execute();
    } catch (ApiException e) {
      lease = null;
      if (e.getCode() == 404) {
        leaseGone();
      } else if (e.getCode() != 409) {
        log.warn("node {}: lease renewal failed: HTTP {} {}", settings.nodeName(), e.getCode(), body(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      lease = null;
      log.warn("node {}: lease renewal failed", settings.nodeName(), e);
    }
  }

  /** The Lease disappeared: the garbage collector removes it when the Node was deleted. */
  private void leaseGone() {
    try {
      if (readNode() == null) {
        nodeGone();
        return;
      }
      createLease();
    } catch (ApiException e) {
      log.warn("node {}: re-creating the lease failed: HTTP {} {}", settings.nodeName(), e.getCode(), body(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void nodeGone() {
    if (!settings.recreateDeletedNode()) {
      log.warn("node {} was deleted from outside; not registering it again (recreateDeletedNode is off)",
          settings.nodeName());
      return;
    }
    log.warn("node {} was deleted from outside; registering it again", settings.nodeName());
    if (register()) {
      renewLease();
    }
  }

  private V1Lease readLease() throws ApiException {
    try {
      return coordination.readNamespacedLease(settings.nodeName(), LEASE_NAMESPACE).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void createLease() throws ApiException, InterruptedException {
    V1Lease fresh = new V1Lease()
        .metadata(new V1ObjectMeta().name(settings.nodeName()).namespace(LEASE_NAMESPACE)
            .ownerReferences(List.of(owner())))
        .spec(leaseSpec());
    writes.acquire();
    try {
      lease = coordination.createNamespacedLease(LEASE_NAMESPACE, fresh).execute();
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      lease = null; // created meanwhile: renew it next time
    }
  }

  private V1OwnerReference owner() {
    return new V1OwnerReference().apiVersion("v1").kind("Node").name(settings.nodeName()).uid(nodeUid);
  }

  private V1LeaseSpec leaseSpec() {
    return new V1LeaseSpec()
        .holderIdentity(settings.nodeName())
        .leaseDurationSeconds((int) settings.leaseDuration().toSeconds())
        .renewTime(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String body(ApiException e) {
    return e.getResponseBody() == null ? String.valueOf(e.getMessage()) : e.getResponseBody();
  }

  /** Stops the heartbeats; the Node, its Lease and the pods stay. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
