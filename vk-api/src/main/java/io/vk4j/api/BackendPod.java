package io.vk4j.api;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A pod as the backend holds it, whichever node of the cluster created it: what the runtime's
 * cluster-wide sweep needs to decide whether it is left over ({@link ClusterPods}).
 */
@Value.Immutable
public abstract class BackendPod {

  /** The backend's own id of the pod (for ECI the container group id). */
  public abstract String id();

  /** The node that created it. */
  public abstract String nodeName();

  public abstract String namespace();

  public abstract String name();

  /** The UID of the API pod it was created for. */
  public abstract String uid();

  /** When the backend created it, when the backend says. */
  public abstract Optional<Instant> creationTime();

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return id() + " (pod " + namespace() + "/" + name() + " " + uid() + " of node " + nodeName() + ")";
  }

  public static final class Builder extends ImmutableBackendPod.Builder {}
}
