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
    String runtimeVersion) {

  /** Our taint of the Node. */
  public record Taint(String key, String value, String effect) {}
}
