package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Node;
import java.util.Map;
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
  /** The StatefulSet that runs a node, on its Node: only such nodes may be retired by others. */
  public static final String STATEFULSET_LABEL = "vk4j.io/statefulset";
  public static final String STATEFULSET_NAMESPACE_LABEL = "vk4j.io/statefulset-namespace";

  private final SweepApi api;
  private final Optional<String> namespace;

  /** @param namespace the namespace of the StatefulSet whose replicas run the nodes, if they are run so */
  public NodeFate(SweepApi api, Optional<String> namespace) {
    this.api = api;
    this.namespace = namespace;
  }

  /** The labels that say which StatefulSet runs node {@code nodeName}; none when it is not run by one. */
  public static Map<String, String> labels(String nodeName, Optional<String> namespace) {
    Matcher replica = REPLICA.matcher(nodeName);
    if (namespace.isEmpty() || !replica.matches() || replica.group(1).length() > 63) {
      return Map.of();
    }
    return Map.of(STATEFULSET_LABEL, replica.group(1), STATEFULSET_NAMESPACE_LABEL, namespace.get());
  }

  /** Why this node (one of this runtime's) cannot come back, or empty when it can or nobody knows. */
  public Optional<String> goneForGood(String nodeName) throws ApiException {
    Matcher replica = REPLICA.matcher(nodeName);
    if (namespace.isEmpty() || !replica.matches()) {
      return Optional.empty();
    }
    return goneForGood(replica.group(1), Integer.parseInt(replica.group(2)));
  }

  /**
   * Why another node cannot come back, or empty: only a Node labelled as run by a StatefulSet of
   * this namespace is judged (a name alone could match a StatefulSet that never ran it).
   */
  public Optional<String> goneForGood(V1Node node) throws ApiException {
    Map<String, String> labels = node.getMetadata().getLabels();
    Matcher replica = REPLICA.matcher(node.getMetadata().getName());
    if (namespace.isEmpty() || labels == null || !namespace.get().equals(labels.get(STATEFULSET_NAMESPACE_LABEL))
        || !replica.matches() || !replica.group(1).equals(labels.get(STATEFULSET_LABEL))) {
      return Optional.empty();
    }
    return goneForGood(replica.group(1), Integer.parseInt(replica.group(2)));
  }

  private Optional<String> goneForGood(String set, int ordinal) throws ApiException {
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
