package io.vk4j.runtime.internal.sweep;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.BackendPod;
import io.vk4j.api.ClusterPods;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.ProviderException;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import io.vk4j.runtime.internal.node.NodeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide sweep of backend pods left behind by nodes that are gone: run by the one replica
 * that holds the sweep Lease ({@link LeaderLease}), every {@code period}. Each round starts from a
 * complete view (every Node and every backend pod of the cluster; a listing that fails ends the
 * round with nothing done), then:
 *
 * <ol>
 *   <li>A node of this provider whose Lease has not been renewed for {@code abandonedAfter} and that
 *       cannot come back ({@link NodeFate}: its StatefulSet was scaled below it or deleted) is
 *       retired on its behalf: it is cordoned, its pods are deleted at once (nothing runs them any more, so their
 *       controllers create them again elsewhere) and its Node is deleted, with a Warning Event
 *       {@code NodeAbandoned}.
 *   <li>A backend pod whose node does not exist (or was just retired) is deleted when it is older than
 *       {@code safetyAge} and no pod with its namespace, name and UID exists in the API server
 *       (read one by one; a pod that cannot be read is left alone). One log line per deletion.
 * </ol>
 * Internal to vk4j.
 */
public final class ClusterSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterSweeper.class);
  private static final String NODE_LEASES = "kube-node-lease";
  private static final Duration MAX_ELECTION_INTERVAL = Duration.ofSeconds(10);

  /**
   * @param identity this candidate (the node's name)
   * @param leaseNamespace where the sweep's Lease lives
   * @param period how often a round runs on the leader
   * @param safetyAge how old a backend pod must be before it may be deleted
   * @param abandonedAfter how long a node's Lease must have gone unrenewed before it is retired
   */
  public record Settings(String identity, String providerName, String leaseNamespace, Duration period,
      Duration safetyAge, Duration abandonedAfter) {}

  private final ClusterPods backend;
  private final SweepApi api;
  private final NodeFate fate;
  private final Settings settings;
  private final NodeMetrics metrics;
  private final Clock clock;
  private final LeaderLease lease;
  private final Duration electionInterval;
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private final ScheduledExecutorService thread;
  private Instant lastRound = Instant.MIN;

  public ClusterSweeper(ClusterPods backend, SweepApi api, NodeFate fate, Settings settings, NodeMetrics metrics,
      Clock clock) {
    this.backend = backend;
    this.api = api;
    this.fate = fate;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.electionInterval = settings.period().compareTo(MAX_ELECTION_INTERVAL) < 0 ? settings.period()
        : MAX_ELECTION_INTERVAL;
    this.lease = new LeaderLease(api, settings.leaseNamespace(), "vk4j-cluster-sweep-" + settings.providerName(),
        settings.identity(), electionInterval.multipliedBy(3), clock);
    this.thread = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
        .setNameFormat(settings.identity() + "-sweep").setDaemon(true).build());
    metrics.gauge("vk4j.sweep.leader", "1 while this node runs the cluster sweep", null,
        io.micrometer.core.instrument.Tags.empty(), lease, l -> l.isLeader() ? 1 : 0);
  }

  public void start() {
    thread.scheduleWithFixedDelay(this::tick, 0, electionInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One election tick; a round when this candidate leads and the period has passed. */
  void tick() {
    try {
      if (!lease.holdOrAcquire()) {
        return;
      }
      Instant now = clock.instant();
      if (Duration.between(lastRound, now).compareTo(settings.period()) >= 0 || lastRound.equals(Instant.MIN)) {
        lastRound = now;
        round();
      }
    } catch (RuntimeException e) {
      log.warn("cluster sweep failed: {}", e.toString());
    }
  }

  /** One round from a complete view; returns what it deleted (for tests). */
  int round() {
    List<V1Node> nodes;
    List<BackendPod> pods;
    try {
      nodes = api.listNodes();
      pods = backend.listClusterPods();
    } catch (ApiException | ProviderException e) {
      metrics.sweepRun("incomplete");
      log.warn("cluster sweep skipped: the view is incomplete ({})", e instanceof ApiException api
          ? ApiErrors.describe(api) : e.getMessage());
      return 0;
    }
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (V1Node node : nodes) {
      present.add(node.getMetadata().getName());
    }
    int deleted = 0;
    for (V1Node node : nodes) {
      if (abandoned(node, now)) {
        deleted += retire(node);
        present.remove(node.getMetadata().getName());
      }
    }
    Set<String> listed = new HashSet<>();
    for (BackendPod pod : pods) {
      listed.add(pod.id());
      Instant seen = firstSeen.computeIfAbsent(pod.id(), id -> now);
      if (present.contains(pod.nodeName())) {
        continue;
      }
      Instant born = pod.creationTime().filter(t -> t.isBefore(seen)).orElse(seen);
      if (Duration.between(born, now).compareTo(settings.safetyAge()) < 0 || hasApiPod(pod)) {
        continue;
      }
      try {
        backend.deleteClusterPod(pod);
      } catch (NotFoundException e) {
        // gone already
      } catch (ProviderException | RuntimeException e) {
        log.warn("cluster sweep: deleting backend pod {} failed, next round tries again: {}", pod, e.getMessage());
        continue;
      }
      deleted++;
      metrics.swept("backend_pod");
      log.info("cluster sweep: deleted backend pod {}: node {} is gone and so is its pod", pod, pod.nodeName());
    }
    firstSeen.keySet().retainAll(listed);
    metrics.sweepRun("complete");
    return deleted;
  }

  /** Whether a pod with this backend pod's namespace, name and UID exists; true when that cannot be read. */
  private boolean hasApiPod(BackendPod pod) {
    try {
      Optional<V1Pod> inApi = api.readPod(pod.namespace(), pod.name());
      return inApi.isPresent() && pod.uid().equals(inApi.get().getMetadata().getUid());
    } catch (ApiException e) {
      log.debug("cluster sweep: cannot read pod {}/{}, leaving {} alone: {}", pod.namespace(), pod.name(), pod.id(),
          ApiErrors.describe(e));
      return true;
    }
  }

  /** A node of this provider, not this one, silent for {@code abandonedAfter}, that cannot come back. */
  private boolean abandoned(V1Node node, Instant now) {
    String name = node.getMetadata().getName();
    if (name.equals(settings.identity()) || node.getMetadata().getLabels() == null
        || !settings.providerName().equals(node.getMetadata().getLabels().get(NodeSettings.PROVIDER_LABEL))) {
      return false;
    }
    try {
      Optional<V1Lease> heartbeat = api.readLease(NODE_LEASES, name);
      OffsetDateTime renewed = heartbeat.map(l -> l.getSpec() == null ? null : l.getSpec().getRenewTime())
          .orElse(node.getMetadata().getCreationTimestamp());
      if (renewed == null || Duration.between(renewed.toInstant(), now).compareTo(settings.abandonedAfter()) < 0) {
        return false;
      }
      Optional<String> why = fate.goneForGood(node);
      why.ifPresent(reason -> log.info("cluster sweep: node {} has not renewed its Lease since {} and cannot come"
          + " back: {}", name, renewed, reason));
      return why.isPresent();
    } catch (ApiException e) {
      log.debug("cluster sweep: cannot tell whether node {} is abandoned: {}", name, ApiErrors.describe(e));
      return false;
    }
  }

  /** Cordons an abandoned node, deletes its pods at once, then its Node; returns how many objects went. */
  private int retire(V1Node node) {
    String name = node.getMetadata().getName();
    int deleted = 0;
    try {
      api.cordon(node); // or the scheduler binds the pods' replacements to it again
      for (V1Pod pod : api.podsOn(name)) {
        api.deletePod(pod, Optional.of(0L));
        metrics.swept("pod");
        deleted++;
        log.info("cluster sweep: deleted pod {}/{} of abandoned node {}", pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(), name);
      }
      api.nodeEvent(node, "Warning", "NodeAbandoned", "Node " + name + " stopped renewing its Lease and cannot come"
          + " back; the cluster sweep of " + settings.identity() + " deleted its pods and deletes the Node");
      api.deleteNode(node);
      metrics.swept("node");
      log.info("cluster sweep: deleted abandoned node {}", name);
      return deleted + 1;
    } catch (ApiException e) {
      log.warn("cluster sweep: retiring abandoned node {} failed, next round tries again: {}", name,
          ApiErrors.describe(e));
      return deleted;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
