package io.vk4j.webhook;

import org.immutables.value.Value;

/**
 * One entry of the ordered rule list: it selects a pod when its namespace matches
 * {@link #namespaceSelector()} AND the pod matches {@link #objectSelector()}. The first rule that
 * selects a pod decides its {@link #mode()}.
 */
@Value.Immutable
public abstract class AffinityRule {

  /** A name for logs, warnings and audit; defaults to {@code rule-<position>} when parsed. */
  public abstract String name();

  @Value.Default
  public LabelSelector namespaceSelector() {
    return LabelSelector.everything();
  }

  @Value.Default
  public LabelSelector objectSelector() {
    return LabelSelector.everything();
  }

  @Value.Default
  public InjectionMode mode() {
    return InjectionMode.REQUIRE;
  }

  /** Weight (1..100) of the preferred scheduling term written in {@link InjectionMode#PREFER} mode. */
  @Value.Default
  public int weight() {
    return 100;
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

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableAffinityRule.Builder {}
}
