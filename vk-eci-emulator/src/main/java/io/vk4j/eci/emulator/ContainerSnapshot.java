package io.vk4j.eci.emulator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** One container of a {@link ContainerGroupSnapshot}. */
@Value.Immutable
public abstract class ContainerSnapshot {

  public abstract String name();

  public abstract String image();

  public abstract List<String> commands();

  public abstract List<String> args();

  /** Literal environment variables. */
  public abstract Map<String, String> env();

  /** Environment variables taken from a field: name to field path. */
  public abstract Map<String, String> envFieldRefs();

  public abstract Optional<Double> cpu();

  public abstract Optional<Double> memory();

  /** Waiting, Running or Terminated. */
  public abstract String state();

  public abstract Optional<Integer> exitCode();

  public abstract int restartCount();

  static ContainerSnapshot of(ContainerRuntime c) {
    Builder b = builder()
        .name(c.spec.name)
        .image(c.spec.image)
        .commands(c.spec.commands)
        .args(c.spec.args)
        .env(c.spec.env)
        .envFieldRefs(c.spec.fieldRefs)
        .state(c.current.state)
        .exitCode(Optional.ofNullable(c.current.exitCode))
        .restartCount(c.restartCount);
    if (c.spec.cpu.isPresent()) {
      b.cpu(c.spec.cpu.getAsDouble());
    }
    if (c.spec.memory.isPresent()) {
      b.memory(c.spec.memory.getAsDouble());
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableContainerSnapshot.Builder {}
}
