package io.vk4j.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** How a {@link VirtualNode} behaves; every setting has a default that suits production. */
@Value.Immutable
public abstract class VirtualNodeOptions {

  /** How many pods are reconciled at once. */
  @Value.Default
  public int podSyncWorkers() {
    return 10;
  }

  /** How often every pod is reconciled even when nothing was signalled. */
  @Value.Default
  public Duration fullResyncPeriod() {
    return Duration.ofMinutes(1);
  }

  /** Whether the Node carries the taint that keeps ordinary pods away. */
  @Value.Default
  public boolean taintEnabled() {
    return true;
  }

  @Value.Default
  public String taintKey() {
    return "virtual-kubelet.io/provider";
  }

  /** The taint's value; when not set, the provider factory's {@code defaultTaintValue()} (usually its name). */
  public abstract Optional<String> taintValue();

  @Value.Default
  public String taintEffect() {
    return "NoSchedule";
  }

  /** The duration written into the node's Lease. */
  @Value.Default
  public Duration leaseDuration() {
    return Duration.ofSeconds(40);
  }

  @Value.Default
  public Duration leaseRenewInterval() {
    return Duration.ofSeconds(10);
  }

  /** How often the node status is sent when nothing changes. */
  @Value.Default
  public Duration nodeStatusUpdatePeriod() {
    return Duration.ofMinutes(1);
  }

  /** How often the provider is pinged; while it fails, the Node reports Ready=False saying why. */
  @Value.Default
  public Duration pingInterval() {
    return Duration.ofSeconds(10);
  }

  /** How long a ping may take; one that takes longer counts as failed. */
  @Value.Default
  public Duration pingTimeout() {
    return Duration.ofSeconds(5);
  }

  /**
   * How long a pod call to the provider (create, update, delete, get, list) may run: past it, the
   * calling thread is interrupted and the call is retried later.
   */
  @Value.Default
  public Duration providerCallTimeout() {
    return Duration.ofMinutes(1);
  }

  /**
   * How often pods are polled (through {@code getPod}) when the provider is not a
   * {@link io.vk4j.api.PodNotifier}, and how long a pod may be missing from the provider before it
   * is reported Failed.
   */
  @Value.Default
  public Duration statusPollPeriod() {
    return Duration.ofSeconds(5);
  }

  /** Register the Node again when somebody deletes it while the runtime runs. */
  @Value.Default
  public boolean recreateDeletedNode() {
    return true;
  }

  /** The port of the kubelet API (logs, exec, attach, port-forward, stats): 0 for any free port; empty disables it. */
  public abstract OptionalInt kubeletApiPort();

  /** The address the kubelet API listens on; the internal IP when not set. */
  public abstract Optional<String> kubeletApiAddress();

  /** Certificates, authentication and limits of the kubelet API. */
  @Value.Default
  public KubeletApiOptions kubeletApi() {
    return KubeletApiOptions.defaults();
  }

  /**
   * The Node's InternalIP, which the API server uses to reach the kubelet API (unless the provider
   * sets one).
   */
  @Value.Default
  public String internalIp() {
    return "127.0.0.1";
  }

  /** The Node's {@code kubernetes.io/os} label and node info. */
  @Value.Default
  public String operatingSystem() {
    return "linux";
  }

  /** Sustained rate of the runtime's API writes (status, deletes, events, node, lease). */
  @Value.Default
  public double clientQps() {
    return 500;
  }

  /** Writes allowed at once above {@link #clientQps()}. */
  @Value.Default
  public int clientBurst() {
    return 1000;
  }

  /** The first retry delay of a failing pod, doubled on each further failure. */
  @Value.Default
  public Duration retryBaseDelay() {
    return Duration.ofMillis(5);
  }

  /** The longest retry delay of a failing pod. */
  @Value.Default
  public Duration retryMaxDelay() {
    return Duration.ofSeconds(1000);
  }

  /**
   * How long a Pending status from the provider waits before it is written, so that a Running
   * status that follows at once replaces it and saves a write.
   */
  @Value.Default
  public Duration progressStatusDelay() {
    return Duration.ofSeconds(1);
  }

  /**
   * Whether pods get the informational (Normal) Events a kubelet records (Pulled, Created, Started,
   * Killing...); Warnings are recorded either way. Off saves one API write per such Event: four or
   * more per pod lifecycle (docs/benchmark.md).
   */
  @Value.Default
  public boolean normalPodEvents() {
    return true;
  }

  /**
   * Events waiting to be sent (client-go's 1,000 by default); when it is full, Normal Events are
   * dropped, counted in {@code vk4j_events_dropped_total}, and Warnings take the place of the oldest
   * Normal ones.
   */
  @Value.Default
  public int eventQueueCapacity() {
    return 1000;
  }

  /**
   * Events the node sends per second after {@link #eventBurst()}, as a kubelet's {@code --event-qps}
   * (whose default, 5, this is): a burst of pods records its Events slower, or drops them when the
   * queue fills, rather than load the API server; 0 removes this limit (the API writes' rate still
   * applies).
   */
  @Value.Default
  public double eventQps() {
    return 5;
  }

  /** Events sent at once above {@link #eventQps()}: the kubelet's {@code --event-burst} default, 10. */
  @Value.Default
  public int eventBurst() {
    return 10;
  }

  /**
   * Whether this node takes part in the cluster sweep of backend pods left behind by nodes that are
   * gone (only with a provider that implements {@link io.vk4j.api.ClusterPods}): one node of the
   * cluster, elected with a Lease, runs it.
   */
  @Value.Default
  public boolean clusterSweep() {
    return true;
  }

  /** How often the elected node runs the cluster sweep. */
  @Value.Default
  public Duration clusterSweepPeriod() {
    return Duration.ofMinutes(5);
  }

  /** How old a backend pod must be before the cluster sweep may delete it. */
  @Value.Default
  public Duration clusterSweepSafetyAge() {
    return Duration.ofMinutes(5);
  }

  /**
   * How long a node of this provider may go without renewing its Lease before the cluster sweep
   * retires it on its behalf (deletes its pods and its Node), when it cannot come back (see
   * {@link #statefulSetNamespace()}).
   */
  @Value.Default
  public Duration abandonedNodeAge() {
    return Duration.ofMinutes(10);
  }

  /**
   * The namespace of the StatefulSet whose replicas run the nodes (node {@code <set>-<ordinal>}), as in
   * the deploy manifests: a node whose StatefulSet is deleted or has fewer replicas than its ordinal
   * needs is gone for good, so {@link VirtualNode#shutdown()} retires it and the cluster sweep may
   * retire it when it was abandoned. Without it, nodes are never retired automatically.
   */
  public abstract Optional<String> statefulSetNamespace();

  /** How long a retirement waits for the node's pods to be deleted before it deletes the Node anyway. */
  @Value.Default
  public Duration retirementTimeout() {
    return Duration.ofSeconds(45);
  }

  @Value.Check
  protected void check() {
    if (podSyncWorkers() < 1) {
      throw new IllegalArgumentException("podSyncWorkers must be >= 1, got " + podSyncWorkers());
    }
    if (leaseRenewInterval().compareTo(leaseDuration()) >= 0) {
      throw new IllegalArgumentException("leaseRenewInterval (" + leaseRenewInterval()
          + ") must be shorter than leaseDuration (" + leaseDuration() + ")");
    }
    if (leaseDuration().toSeconds() < 1) {
      throw new IllegalArgumentException("leaseDuration must be at least one second");
    }
    for (Duration d : new Duration[] {fullResyncPeriod(), leaseRenewInterval(), nodeStatusUpdatePeriod(),
        pingInterval(), pingTimeout(), providerCallTimeout(), statusPollPeriod(), retryBaseDelay(), retryMaxDelay(),
        clusterSweepPeriod(), abandonedNodeAge(), retirementTimeout()}) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("periods and delays must be positive: " + this);
      }
    }
    if (kubeletApiPort().isPresent() && (kubeletApiPort().getAsInt() < 0 || kubeletApiPort().getAsInt() > 65535)) {
      throw new IllegalArgumentException("kubeletApiPort must be 0..65535, got " + kubeletApiPort().getAsInt());
    }
    if (clientQps() <= 0 || clientBurst() < 1) {
      throw new IllegalArgumentException("clientQps must be > 0 and clientBurst >= 1");
    }
    if (abandonedNodeAge().compareTo(leaseDuration()) <= 0) {
      throw new IllegalArgumentException("abandonedNodeAge (" + abandonedNodeAge() + ") must be longer than"
          + " leaseDuration (" + leaseDuration() + ")");
    }
    if (clusterSweepSafetyAge().isNegative()) {
      throw new IllegalArgumentException("clusterSweepSafetyAge must not be negative");
    }
    if (eventQps() < 0 || eventBurst() < 1) {
      throw new IllegalArgumentException("eventQps must be >= 0 and eventBurst >= 1");
    }
    if (eventQueueCapacity() < 1) {
      throw new IllegalArgumentException("eventQueueCapacity must be >= 1");
    }
  }

  public static VirtualNodeOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableVirtualNodeOptions.Builder {}
}
