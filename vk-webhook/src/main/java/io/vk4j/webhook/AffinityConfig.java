package io.vk4j.webhook;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.immutables.value.Value;

/**
 * What the webhook does: the ordered {@link #rules()}, what "virtual node" means
 * ({@link #nodeSelector()}, {@link #tolerations()}), the pod label that opts out of everything and
 * the namespaces never touched. {@link #defaults()} is the behaviour of ACK's
 * virtual-node-affinity-admission-controller.
 */
@Value.Immutable
abstract class AffinityConfig {

  /** The label key of the opt-out label; a pod carrying it with {@link #optOutValue()} is never mutated. */
  @Value.Default
  String optOutKey() {
    return "virtual-node-affinity-injection";
  }

  @Value.Default
  String optOutValue() {
    return "disabled";
  }

  /** Namespaces whose pods are never mutated, whatever the rules say. */
  @Value.Default
  Set<String> excludedNamespaces() {
    return Set.of("kube-system", "kube-public", "kube-node-lease");
  }

  /** The labels of virtual nodes: the nodeSelector (require) or the preferred term (prefer). */
  @Value.Default
  Map<String, String> nodeSelector() {
    return Map.of("type", "virtual-kubelet");
  }

  /** The tolerations for the virtual node's taints; each is added unless the pod already tolerates it. */
  @Value.Default
  List<TolerationSpec> tolerations() {
    return List.of(TolerationSpec.builder().key("virtual-kubelet.io/provider").build());
  }

  /** Evaluated in order; the first rule that selects a pod wins. No rules: nothing is ever mutated. */
  abstract List<AffinityRule> rules();

  @Value.Check
  protected void check() {
    if (nodeSelector().isEmpty()) {
      throw new IllegalArgumentException("nodeSelector must name at least one label of virtual nodes");
    }
    if (optOutKey().isEmpty()) {
      throw new IllegalArgumentException("optOutLabel key must not be empty");
    }
    Set<String> names = new HashSet<>();
    for (AffinityRule rule : rules()) {
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("rule name '" + rule.name() + "' is used twice");
      }
    }
  }

  /** The built-in configuration (the resource {@code default-config.yaml} of this package). */
  static AffinityConfig defaults() {
    return ConfigParser.defaults();
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableAffinityConfig.Builder {}
}
