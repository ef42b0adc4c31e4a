package io.vk4j.webhook;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/**
 * A Kubernetes label selector: every {@code matchLabels} pair and every {@code matchExpressions}
 * requirement must hold. The empty selector matches everything, as in Kubernetes.
 */
@Value.Immutable
public abstract class LabelSelector {

  private static final LabelSelector EVERYTHING = builder().build();

  public abstract Map<String, String> matchLabels();

  public abstract List<LabelSelectorRequirement> matchExpressions();

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : matchLabels().entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement requirement : matchExpressions()) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return matchLabels().isEmpty() && matchExpressions().isEmpty();
  }

  /** The empty selector. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  @Override
  public String toString() {
    return "{matchLabels=" + matchLabels() + ", matchExpressions=" + matchExpressions() + "}";
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableLabelSelector.Builder {}
}
