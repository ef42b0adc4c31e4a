package io.vk4j.api;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** What part of a container's log to return, as {@code kubectl logs} asks for it. */
@Value.Immutable
public abstract class ContainerLogOptions {

  /** Only the last this many lines. */
  public abstract OptionalInt tailLines();

  /** Stop after this many bytes. */
  public abstract OptionalLong limitBytes();

  /** Prefix each line with its RFC 3339 timestamp. */
  @Value.Default
  public boolean timestamps() {
    return false;
  }

  /** Keep the stream open and send new lines as they are written. */
  @Value.Default
  public boolean follow() {
    return false;
  }

  /** The log of the previous, terminated instance of the container. */
  @Value.Default
  public boolean previous() {
    return false;
  }

  /** Only lines written in the last this many seconds. */
  public abstract OptionalLong sinceSeconds();

  /** Only lines written at or after this time. */
  public abstract Optional<Instant> sinceTime();

  @Value.Check
  protected void check() {
    if (sinceSeconds().isPresent() && sinceTime().isPresent()) {
      throw new IllegalArgumentException("at most one of sinceSeconds and sinceTime may be set");
    }
    if (tailLines().orElse(0) < 0 || limitBytes().orElse(1) < 1 || sinceSeconds().orElse(1) < 1) {
      throw new IllegalArgumentException(
          "tailLines must be >= 0, limitBytes and sinceSeconds >= 1: " + this);
    }
  }

  public static ContainerLogOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableContainerLogOptions.Builder {}
}
