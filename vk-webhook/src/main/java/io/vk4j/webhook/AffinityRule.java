package io.vk4j.webhook;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.util.labels.LabelSelector;
import java.util.Map;
import org.immutables.value.Value;

/**
 * One entry of the ordered rule list: it selects a pod when its namespace matches
 * {@link #namespaceSelector()} AND the pod matches {@link #objectSelector()}. The first rule that
 * selects a pod decides its {@link #mode()}. Selectors are matched by client-java's
 * {@link LabelSelector}, with Kubernetes' semantics.
 */
@Value.Immutable
abstract class AffinityRule {

  /** A name for logs, warnings and audit; defaults to {@code rule-<position>} when parsed. */
  abstract String name();

  /** The namespace's labels this rule needs; the empty selector matches every namespace. */
  @Value.Default
  V1LabelSelector namespaceSelector() {
    return new V1LabelSelector();
  }

  /** The pod's labels this rule needs; the empty selector matches every pod. */
  @Value.Default
  V1LabelSelector objectSelector() {
    return new V1LabelSelector();
  }

  @Value.Default
  InjectionMode mode() {
    return InjectionMode.REQUIRE;
  }

  /** Weight (1..100) of the preferred scheduling term written in {@link InjectionMode#PREFER} mode. */
  @Value.Default
  int weight() {
    return 100;
  }

  /** Whether the rule looks at the namespace at all (so its labels are worth fetching). */
  boolean needsNamespaceLabels() {
    return !isEmpty(namespaceSelector());
  }

  boolean selectsNamespace(Map<String, String> labels) {
    return namespaceMatcher().test(labels);
  }

  boolean selectsPod(Map<String, String> labels) {
    return objectMatcher().test(labels);
  }

  @Value.Lazy
  LabelSelector namespaceMatcher() {
    return LabelSelector.parse(namespaceSelector());
  }

  @Value.Lazy
  LabelSelector objectMatcher() {
    return LabelSelector.parse(objectSelector());
  }

  private static boolean isEmpty(V1LabelSelector selector) {
    return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
  }

  @Value.Check
  protected void check() {
    if (name().isBlank()) {
      throw new IllegalArgumentException("rule name must not be blank");
    }
    if (weight() < 1 || weight() > 100) {
      throw new IllegalArgumentException("rule '" + name() + "': weight must be within 1..100, not " + weight());
    }
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableAffinityRule.Builder {}
}
