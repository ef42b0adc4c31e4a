package io.vk4j.runtime.internal.node;

import java.time.Duration;
import java.util.Optional;

/**
 * How the node controller registers and keeps alive one Node. Internal to vk4j: built by
 * {@code VirtualNode} from its options.
 *
 * @param taint empty when the node carries no taint of ours
 * @param kubeletPort the port of the kubelet API in the Node's daemon endpoints, 0 for none
 * @param internalIp the Node's InternalIP address unless the provider sets one
 */
public record NodeSettings(
    String nodeName,
    String providerName,
    Optional<Taint> taint,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration statusUpdatePeriod,
    Duration pingInterval,
    Duration pingTimeout,
    boolean recreateDeletedNode,
    String internalIp,
    String operatingSystem,
    int kubeletPort,
    String runtimeVersion,
    /** Labels of the runtime's own beside the fixed ones (the StatefulSet that runs the node). */
    java.util.Map<String, String> extraLabels) {

  public NodeSettings(String nodeName, String providerName, Optional<Taint> taint, Duration leaseDuration,
      Duration leaseRenewInterval, Duration statusUpdatePeriod, Duration pingInterval, Duration pingTimeout,
      boolean recreateDeletedNode, String internalIp, String operatingSystem, int kubeletPort, String runtimeVersion) {
    this(nodeName, providerName, taint, leaseDuration, leaseRenewInterval, statusUpdatePeriod, pingInterval,
        pingTimeout, recreateDeletedNode, internalIp, operatingSystem, kubeletPort, runtimeVersion, java.util.Map.of());
  }

  /** The label naming the provider of a vk4j Node: which Nodes the cluster sweep of a provider may retire. */
  public static final String PROVIDER_LABEL = "vk4j.io/provider";

  /** Our taint of the Node. */
  public record Taint(String key, String value, String effect) {}
}
