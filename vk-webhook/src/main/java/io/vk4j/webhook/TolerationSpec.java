package io.vk4j.webhook;

import java.util.Optional;
import org.immutables.value.Value;

/** The toleration injected for the virtual node's taint (default {@code virtual-kubelet.io/provider Exists}). */
@Value.Immutable
abstract class TolerationSpec {

  abstract String key();

  @Value.Default
  String operator() {
    return "Exists";
  }

  abstract Optional<String> value();

  /** Empty means every effect, as in Kubernetes. */
  abstract Optional<String> effect();

  @Value.Check
  protected void check() {
    if (key().isEmpty()) {
      throw new IllegalArgumentException("toleration key must not be empty");
    }
    if (!operator().equals("Exists") && !operator().equals("Equal")) {
      throw new IllegalArgumentException("toleration operator must be Exists or Equal, not '" + operator() + "'");
    }
    if (operator().equals("Exists") && value().isPresent()) {
      throw new IllegalArgumentException("toleration with operator Exists takes no value");
    }
    effect().ifPresent(effect -> {
      if (!effect.equals("NoSchedule") && !effect.equals("PreferNoSchedule") && !effect.equals("NoExecute")) {
        throw new IllegalArgumentException(
            "toleration effect must be NoSchedule, PreferNoSchedule or NoExecute, not '" + effect + "'");
      }
    });
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableTolerationSpec.Builder {}
}
