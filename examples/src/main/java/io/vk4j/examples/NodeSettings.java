package io.vk4j.examples;

import io.vk4j.runtime.KubeletApiOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What {@link VirtualNodeMain}'s flags and environment ask for, resolved and checked. */
record NodeSettings(
    String nodeName,
    String providerName,
    Optional<Path> providerConfig,
    Optional<Path> kubeconfig,
    int podSyncWorkers,
    Duration fullResyncPeriod,
    boolean taintEnabled,
    Events events,
    String taintKey,
    String taintValue,
    String taintEffect,
    int kubeletPort,
    KubeletApiOptions kubeletApi,
    Optional<String> internalIp,
    Duration startupTimeout,
    Lifecycle lifecycle) {

  /** Which pod Events are recorded, and how fast they are sent. */
  record Events(boolean normal, double qps, int burst) {}

  /** Retirement and the cluster sweep (see {@link io.vk4j.runtime.VirtualNodeOptions}). */
  record Lifecycle(Optional<String> statefulSetNamespace, boolean clusterSweep, Duration sweepPeriod,
      Duration sweepSafetyAge, Duration abandonedNodeAge, Duration retirementTimeout, Duration leaseDuration) {}
}
