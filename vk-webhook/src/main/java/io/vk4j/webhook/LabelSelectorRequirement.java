package io.vk4j.webhook;

import java.util.List;
import java.util.Map;
import org.immutables.value.Value;

/** One {@code matchExpressions} entry of a label selector. */
@Value.Immutable
public abstract class LabelSelectorRequirement {

  /** The operators of Kubernetes set-based label selectors. */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String spelling;

    Operator(String spelling) {
      this.spelling = spelling;
    }

    /** The Kubernetes spelling: In, NotIn, Exists, DoesNotExist. */
    public String spelling() {
      return spelling;
    }

    static Operator fromSpelling(String text) {
      for (Operator op : values()) {
        if (op.spelling.equals(text)) {
          return op;
        }
      }
      throw new IllegalArgumentException(
          "operator must be one of In, NotIn, Exists, DoesNotExist, not '" + text + "'");
    }
  }

  public abstract String key();

  public abstract Operator operator();

  public abstract List<String> values();

  /** Kubernetes semantics: NotIn and DoesNotExist also match when the key is absent. */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key());
    return switch (operator()) {
      case IN -> value != null && values().contains(value);
      case NOT_IN -> value == null || !values().contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }

  @Value.Check
  protected void check() {
    if (key().isEmpty()) {
      throw new IllegalArgumentException("matchExpressions key must not be empty");
    }
    boolean setOperator = operator() == Operator.IN || operator() == Operator.NOT_IN;
    if (setOperator && values().isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator().spelling() + " on key '" + key() + "' needs at least one value");
    }
    if (!setOperator && !values().isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator().spelling() + " on key '" + key() + "' takes no values");
    }
  }

  @Override
  public String toString() {
    return key() + " " + operator().spelling() + (values().isEmpty() ? "" : " " + values());
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableLabelSelectorRequirement.Builder {}
}
