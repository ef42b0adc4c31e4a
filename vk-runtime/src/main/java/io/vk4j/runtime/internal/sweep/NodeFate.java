package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a node run by a StatefulSet replica can come back: node {@code <set>-<ordinal>} is gone for
 * good once StatefulSet {@code <set>} of the namespace is deleted (or being deleted) or has fewer
 * replicas than {@code ordinal + 1}. A rolling restart or an upgrade keeps the replica count, so its
 * nodes always can. Without a namespace, or for a name without an ordinal, nothing is known. Internal to vk4j.
 */
public final class NodeFate {
  private static final Pattern REPLICA = Pattern.compile("(.+)-(0|[1-9][0-9]{0,8})");

  private final SweepApi api;
  private final Optional<String> namespace;

  /** @param namespace the namespace of the StatefulSet whose replicas run the nodes, if they are run so */
  public NodeFate(SweepApi api, Optional<String> namespace) {
    this.api = api;
    this.namespace = namespace;
  }

  /** Why node {@code nodeName} cannot come back, or empty when it can or nobody knows. */
  public Optional<String> goneForGood(String nodeName) throws ApiException {
    Matcher replica = REPLICA.matcher(nodeName);
    if (namespace.isEmpty() || !replica.matches()) {
      return Optional.empty();
    }
    String set = replica.group(1);
    int ordinal = Integer.parseInt(replica.group(2));
    OptionalInt replicas = api.statefulSetReplicas(namespace.get(), set);
    if (replicas.isEmpty()) {
      return Optional.of("StatefulSet " + namespace.get() + "/" + set + " is deleted");
    }
    if (ordinal >= replicas.getAsInt()) {
      return Optional.of("StatefulSet " + namespace.get() + "/" + set + " has " + replicas.getAsInt()
          + " replicas, fewer than this node's ordinal " + ordinal + " needs");
    }
    return Optional.empty();
  }
}
