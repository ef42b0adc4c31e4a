package io.vk4j.runtime.internal.node;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1Taint;
import io.vk4j.api.NodeChangeListener;
import io.vk4j.api.Provider;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.client.ApiListWatch;
import io.vk4j.runtime.internal.client.ListWatch;
import io.vk4j.runtime.internal.client.WatchCache;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node and keeps it the way a kubelet does. Internal to vk4j.
 *
 * <ul>
 *   <li>The Node reports Ready only once the pods can run: the pod controller has synced and the
 *       provider's first listing succeeded, and the provider answers its ping. Until then, and while
 *       the ping fails or hangs past its timeout, Ready is False with the reason as its message.
 *   <li>The Lease ({@link LeaseKeeper}) is renewed on a thread of its own, whatever the provider
 *       does: it says that this runtime is alive, as a kubelet's does.
 *   <li>The Node is watched: a Node deleted from outside is registered again at once (unless
 *       {@code recreateDeletedNode} is off), and conditions of ours that someone else changed (the
 *       node lifecycle controller writes Ready=Unknown after a partition) are corrected at once.
 *   <li>Only the fields the runtime owns are written; the node status is also sent on a longer
 *       period and whenever the provider signals a change.
 *   <li>When a heartbeat is accepted again after it failed or was overridden, the listener given to
 *       {@link #onHeartbeatAccepted} runs: the pods' conditions are re-asserted then.
 * </ul>
 */
public final class NodeController implements NodeChangeListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeController.class);
  private static final long MAX_REGISTER_BACKOFF_MILLIS = 7_000;

  private final NodeClient nodes;
  private final LeaseKeeper lease;
  private final ListWatch<V1Node> nodeWatch;
  private final Provider provider;
  private final NodeSettings settings;
  private final Clock clock;
  private final Supplier<String> podsProblem;
  private final ScheduledExecutorService thread;
  private final ScheduledExecutorService leaseThread;
  private final ScheduledExecutorService pingThread;
  private final ExecutorService pingCalls;
  private final PingMonitor ping;
  private final CompletableFuture<Void> registered = new CompletableFuture<>();
  private final CompletableFuture<Void> reportedReady = new CompletableFuture<>();
  private final AtomicBoolean changeSignalled = new AtomicBoolean();
  private volatile Runnable heartbeatAccepted = () -> {};
  private volatile Map<String, Quantity> allocatable = Map.of();
  private volatile String problem = "not registered yet";
  private volatile String nodeUid;
  private volatile boolean podsReady;
  private volatile boolean leaseFailing;
  private WatchCache<V1Node> watch;

  // the node thread's own state
  private String kubeletVersion;
  private V1Node template;
  private boolean readyShown;
  private OffsetDateTime readySince;
  private V1Node lastSeen;
  private boolean statusFailing;
  private long registerBackoffMillis = 100;

  /** The node controller of a node on a real API server. */
  public static NodeController create(ApiClient client, Provider provider, TokenBucket writes, NodeSettings settings,
      Clock clock, Supplier<String> podsProblem) {
    return new NodeController(ApiNodeClients.nodes(client, writes),
        new LeaseKeeper(ApiNodeClients.leases(client, writes), settings.nodeName(), settings.leaseDuration(), clock),
        ApiListWatch.node(client, settings.nodeName()), provider, settings, clock, podsProblem);
  }

  /**
   * @param podsProblem why the pods cannot run yet, while {@link #podsReady()} has not been called
   */
  NodeController(NodeClient nodes, LeaseKeeper lease, ListWatch<V1Node> nodeWatch, Provider provider,
      NodeSettings settings, Clock clock, Supplier<String> podsProblem) {
    this.nodes = nodes;
    this.lease = lease;
    this.nodeWatch = nodeWatch;
    this.provider = provider;
    this.settings = settings;
    this.clock = clock;
    this.podsProblem = podsProblem;
    String name = settings.nodeName();
    this.thread = Executors.newSingleThreadScheduledExecutor(daemon(name + "-node"));
    this.leaseThread = Executors.newSingleThreadScheduledExecutor(daemon(name + "-lease"));
    this.pingThread = Executors.newSingleThreadScheduledExecutor(daemon(name + "-ping"));
    this.pingCalls = Executors.newSingleThreadExecutor(daemon(name + "-ping-call"));
    this.ping = new PingMonitor(provider, name, settings.pingTimeout(), pingCalls,
        change -> post(this::readinessChanged));
  }

  /** Runs {@code task} on the node's thread; nothing once the controller is closed. */
  private void post(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("node {} is closed; dropping a task", settings.nodeName());
    }
  }

  private void renewSoon() {
    try {
      leaseThread.execute(this::renewLease);
    } catch (RejectedExecutionException e) {
      log.debug("node {} is closed; not renewing its lease", settings.nodeName());
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return new ThreadFactoryBuilder().setNameFormat(name).setDaemon(true).build();
  }

  /** Registers the node in the background, then starts the heartbeats and the watch of the Node. */
  public void start() {
    provider.notifyNodeChanges(this);
    thread.execute(this::registerAndStartHeartbeats);
  }

  /** Runs {@code listener} (on the node's thread) whenever a heartbeat is accepted again; set before start. */
  public void onHeartbeatAccepted(Runnable listener) {
    this.heartbeatAccepted = listener;
  }

  /** Completes once the Node and its Lease exist. */
  public CompletableFuture<Void> registered() {
    return registered;
  }

  /** Completes once the API server accepted a status of the Node with Ready=True. */
  public CompletableFuture<Void> reportedReady() {
    return reportedReady;
  }

  /** The pods can run: the Node may report Ready. */
  public void podsReady() {
    podsReady = true;
    post(this::readinessChanged);
  }

  /** Why the pods cannot run yet changed: the Node's Ready message says so at once. */
  public void podsProblemChanged() {
    post(this::readinessChanged);
  }

  /** What keeps the node from being registered or Ready, or {@code null}. */
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
      post(() -> {
        changeSignalled.set(false);
        template = null; // ask the provider again
        if (nodeUid != null) {
          updateStatus();
        }
      });
    }
  }

  private void registerAndStartHeartbeats() {
    if (!register()) {
      thread.schedule(this::registerAndStartHeartbeats, registerBackoffMillis, TimeUnit.MILLISECONDS);
      registerBackoffMillis = Math.min(registerBackoffMillis * 2, MAX_REGISTER_BACKOFF_MILLIS);
      return;
    }
    renewLease();
    registered.complete(null);
    leaseThread.scheduleWithFixedDelay(this::renewLease, settings.leaseRenewInterval().toMillis(),
        settings.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
    thread.scheduleWithFixedDelay(this::statusTick, settings.statusUpdatePeriod().toMillis(),
        settings.statusUpdatePeriod().toMillis(), TimeUnit.MILLISECONDS);
    pingThread.scheduleWithFixedDelay(this::pingOnce, 0, settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    watch = new WatchCache<>("node " + settings.nodeName(), nodeWatch, new WatchCache.Handler<>() {
      @Override
      public void upserted(V1Node old, V1Node current) {
        post(() -> nodeSeen(current));
      }

      @Override
      public void deleted(V1Node gone) {
        post(() -> nodeDeleted(gone));
      }
    }, Duration.ofSeconds(2), daemon(settings.nodeName() + "-node-watch"));
    watch.start();
  }

  /** One ping of the provider. Ping thread. */
  void pingOnce() {
    try {
      ping.ping();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Creates the Node, or brings our part of an existing one up to date. Node thread. */
  boolean register() {
    try {
      if (kubeletVersion == null) {
        kubeletVersion = nodes.serverVersion() + "-vk4j-" + settings.runtimeVersion();
      }
      V1Node desired = template();
      String notReady = notReady();
      readyShown = notReady == null;
      readySince = now();
      desired.getStatus().setConditions(NodeTemplate.conditions(readySince, readySince, notReady));
      Optional<V1Node> existing = nodes.read(settings.nodeName());
      if (existing.isEmpty()) {
        V1Node created = nodes.create(desired);
        nodeUid = created.getMetadata().getUid();
        log.info("node {} registered (provider {})", settings.nodeName(), settings.providerName());
      } else {
        nodeUid = existing.get().getMetadata().getUid();
        patchMetadataAndTaint(existing.get(), desired);
        log.info("node {} exists, updated our part of it", settings.nodeName());
      }
      // a create may drop the status: set it through the status subresource as well
      accepted(nodes.patchStatus(settings.nodeName(), statusPatch(desired.getStatus())), true);
      registerBackoffMillis = 100;
      problem = notReady;
      return true;
    } catch (ApiException e) {
      problem = "registering node " + settings.nodeName() + " failed: " + ApiErrors.describe(e);
      log.warn(problem);
    } catch (RuntimeException e) {
      problem = "registering node " + settings.nodeName() + " failed: " + e;
      log.warn(problem, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Why the node is not Ready, or {@code null} when it is. */
  private String notReady() {
    if (!podsReady) {
      String why = podsProblem.get();
      return "the pods cannot run yet: " + (why == null ? "the pod controller is starting" : why);
    }
    return ping.problem();
  }

  private V1Node template() {
    if (template == null) {
      template = NodeTemplate.build(settings, provider, kubeletVersion);
      allocatable = Map.copyOf(template.getStatus().getAllocatable());
    }
    return JSON.deserialize(JSON.serialize(template), V1Node.class);
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
        nodes.patch(settings.nodeName(), patch.toString());
        return;
      } catch (ApiException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
        Optional<V1Node> reread = nodes.read(settings.nodeName());
        if (reread.isEmpty()) {
          throw e;
        }
        current = reread.get();
      }
    }
  }

  private static String statusPatch(V1NodeStatus status) {
    JsonObject patch = new JsonObject();
    patch.add("status", JSON.getGson().toJsonTree(status));
    return patch.toString();
  }

  /** Readiness (pods or ping) changed: a status at once. Node thread. */
  void readinessChanged() {
    problem = notReady();
    if (nodeUid != null) {
      updateStatus();
    }
  }

  private void statusTick() {
    if (nodeUid != null) {
      updateStatus();
    }
  }

  /** Sends the node status as the runtime sees it. Node thread. */
  void updateStatus() {
    try {
      String notReady = notReady();
      boolean ready = notReady == null;
      OffsetDateTime now = now();
      if (ready != readyShown || readySince == null) {
        readyShown = ready;
        readySince = now;
      }
      V1NodeStatus status = template().getStatus();
      status.setConditions(NodeTemplate.conditions(now, readySince, notReady));
      accepted(nodes.patchStatus(settings.nodeName(), statusPatch(status)), false);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        nodeGone();
      } else {
        statusFailing = true;
        log.warn("node {}: status update failed: {}", settings.nodeName(), ApiErrors.describe(e));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      statusFailing = true;
      log.warn("node {}: status update failed", settings.nodeName(), e);
    }
  }

  /** The API server took a status of ours; {@code first} for the one of a registration. */
  private void accepted(V1Node patched, boolean first) {
    boolean overridden = lastSeen != null && !"True".equals(readyStatus(lastSeen)) && readyShown;
    boolean recovered = statusFailing || overridden;
    statusFailing = false;
    lastSeen = patched;
    if (readyShown) {
      reportedReady.complete(null);
    }
    if (recovered && !first) {
      log.info("node {}: heartbeat accepted again; re-asserting pod statuses", settings.nodeName());
      heartbeatAccepted.run();
    }
  }

  /** The Node as the watch shows it: someone else's changes to our conditions are corrected. Node thread. */
  void nodeSeen(V1Node node) {
    String uid = node.getMetadata().getUid();
    if (nodeUid == null || !nodeUid.equals(uid)) {
      // registered again by someone else (or by us, just before this event): make it ours
      log.info("node {} appeared with UID {}; bringing our part of it up to date", settings.nodeName(), uid);
      lastSeen = node;
      if (register()) {
        lease.forgetVanished();
        renewSoon();
      }
      return;
    }
    lastSeen = node;
    String difference = foreignChange(node);
    if (difference != null) {
      log.info("node {}: {} was changed from outside; correcting it", settings.nodeName(), difference);
      updateStatus();
    }
  }

  /** The first of our conditions that the Node shows otherwise than we would write it, or {@code null}. */
  private String foreignChange(V1Node node) {
    List<V1NodeCondition> shown = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    for (V1NodeCondition ours : NodeTemplate.conditions(now(), now(), notReady())) {
      V1NodeCondition theirs = shown.stream().filter(c -> ours.getType().equals(c.getType())).findFirst().orElse(null);
      if (theirs == null || !Objects.equals(ours.getStatus(), theirs.getStatus())
          || !Objects.equals(ours.getReason(), theirs.getReason())
          || !Objects.equals(ours.getMessage(), theirs.getMessage())) {
        return "condition " + ours.getType() + (theirs == null ? " (missing)" : "=" + theirs.getStatus());
      }
    }
    return null;
  }

  /** The watch saw the Node deleted. Node thread. */
  void nodeDeleted(V1Node gone) {
    if (nodeUid != null && nodeUid.equals(gone.getMetadata().getUid())) {
      nodeGone();
    }
  }

  /** Renews the Lease. Lease thread. */
  void renewLease() {
    String uid = nodeUid;
    if (uid == null) {
      return;
    }
    try {
      switch (lease.renew(uid)) {
        case RENEWED -> {
          if (leaseFailing) {
            leaseFailing = false;
            post(() -> heartbeatAccepted.run());
          }
        }
        case VANISHED -> post(this::leaseVanished);
        case FAILED -> leaseFailing = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The Lease was deleted from outside: with its Node (then register again), or alone (create it). */
  void leaseVanished() {
    try {
      Optional<V1Node> node = nodes.read(settings.nodeName());
      if (node.isEmpty() || !node.get().getMetadata().getUid().equals(nodeUid)) {
        if (nodeUid != null) {
          nodeGone();
        } else {
          node.ifPresent(this::nodeSeen);
        }
        return;
      }
      lease.forgetVanished();
      renewSoon();
    } catch (ApiException e) {
      log.warn("node {}: cannot read the Node after its Lease vanished: {}", settings.nodeName(), ApiErrors.describe(e));
      thread.schedule(this::leaseVanished, settings.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void nodeGone() {
    nodeUid = null;
    lastSeen = null;
    lease.forgetVanished();
    if (!settings.recreateDeletedNode()) {
      problem = "the Node was deleted from outside and recreateDeletedNode is off";
      log.warn("node {} was deleted from outside; not registering it again (recreateDeletedNode is off)",
          settings.nodeName());
      return;
    }
    log.warn("node {} was deleted from outside; registering it again", settings.nodeName());
    registerAgain();
  }

  private void registerAgain() {
    if (register()) {
      renewSoon();
      return;
    }
    thread.schedule(this::registerAgain, registerBackoffMillis, TimeUnit.MILLISECONDS);
    registerBackoffMillis = Math.min(registerBackoffMillis * 2, MAX_REGISTER_BACKOFF_MILLIS);
  }

  /** The UID of the Node this controller keeps, or {@code null} while there is none. */
  String nodeUid() {
    return nodeUid;
  }

  private static String readyStatus(V1Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(V1NodeCondition::getStatus).findFirst().orElse(null);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  /** Stops the heartbeats and the watch; the Node, its Lease and the pods stay. */
  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    for (ExecutorService executor : List.of(thread, leaseThread, pingThread, pingCalls)) {
      executor.shutdownNow();
    }
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
      leaseThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
