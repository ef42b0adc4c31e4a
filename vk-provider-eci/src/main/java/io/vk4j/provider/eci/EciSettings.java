package io.vk4j.provider.eci;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The provider's settings, read once when the provider is created (see {@link SettingsParser}).
 * A change applies to pods created after the next restart; running container groups keep theirs.
 */
@Value.Immutable
abstract class EciSettings {

  abstract String region();

  abstract String clusterId();

  abstract String nodeName();

  abstract EciCredentials credentials();

  abstract String securityGroupId();

  /** vSwitches in preference order, at most 10, ideally in different zones. */
  abstract List<String> vSwitchIds();

  /** {@code host[:port]} of the ECI API. */
  abstract String endpoint();

  /** {@code https} or {@code http}. */
  abstract String protocol();

  @Value.Default
  boolean kubeProxy() {
    return true;
  }

  /**
   * The kube-proxy sidecar's image. Its default mode, nftables, needs kube-proxy 1.31 or later (the mode is
   * beta and on by default from 1.31).
   */
  @Value.Default
  String kubeProxyImage() {
    return "registry.k8s.io/kube-proxy:v1.31.4";
  }

  /**
   * {@code nftables} (default): the sidecar needs only NET_ADMIN, which ECI grants every account;
   * {@code iptables}: it also needs NET_RAW, which ECI grants only to allow-listed accounts.
   */
  @Value.Default
  String kubeProxyMode() {
    return "nftables";
  }

  /** Whether ECI has put the account on its allow list for adding NET_RAW (a support ticket). */
  @Value.Default
  boolean netRawAllowed() {
    return false;
  }

  /** {@code namespace/name} of the Secret whose {@code kubeconfig} key the kube-proxy sidecar uses. */
  @Value.Default
  String kubeProxyKubeconfigSecret() {
    return "kube-system/vk4j-kube-proxy";
  }

  /** Name servers of the cluster DNS, reachable from the VPC; empty means ECI's default DNS. */
  abstract List<String> clusterDns();

  @Value.Default
  String clusterDomain() {
    return "cluster.local";
  }

  @Value.Default
  int quotaPods() {
    return 3000;
  }

  @Value.Default
  String quotaCpu() {
    return "6000";
  }

  @Value.Default
  String quotaMemory() {
    return "12000Gi";
  }

  /** Node capacity of {@code nvidia.com/gpu}: without it the scheduler binds no GPU pod to the node. */
  @Value.Default
  String quotaGpu() {
    return "100";
  }

  @Value.Default
  Duration statusPollPeriod() {
    return Duration.ofSeconds(5);
  }

  @Value.Default
  Duration fullResyncPeriod() {
    return Duration.ofMinutes(5);
  }

  /** Client-side limit on ECI API calls per second, for all actions together. */
  @Value.Default
  double apiQps() {
    return 20;
  }

  @Value.Default
  Duration readTimeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * How long a vSwitch that answered "no stock" is skipped for that size (doubling on each further refusal, at
   * most 5 minutes); a pod without stock waits a third of it before its next try, doubling too.
   */
  @Value.Default
  Duration noStockBackoff() {
    return Duration.ofSeconds(30);
  }

  /** How long ECI may fail to answer before {@code ping()} fails and the node goes NotReady. */
  @Value.Default
  Duration unreachableBeforeNotReady() {
    return Duration.ofSeconds(20);
  }

  /** How long the figures of {@code DescribeMultiContainerGroupMetric} are reused. */
  @Value.Default
  Duration statsCacheTtl() {
    return Duration.ofSeconds(30);
  }

  /** Terminal pod statuses kept after ECI purged their group, until the runtime deletes the pod. */
  @Value.Default
  int terminalStatusCapacity() {
    return 10_000;
  }

  abstract Optional<String> resourceGroupId();

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableEciSettings.Builder {}
}
