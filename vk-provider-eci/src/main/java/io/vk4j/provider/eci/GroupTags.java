package io.vk4j.provider.eci;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags that tie a container group to its cluster, node and pod. The provider filters on the first two on
 * the server, so it never lists other clusters' or other nodes' groups, and reads the pod's identity back from
 * the others. ECI takes tag values of at most 128 characters while node and pod names may have 253: a longer
 * value is split over {@code key}, {@code key-2}, ... in order, so it is stored whole and read back unambiguously.
 */
final class GroupTags {
  private GroupTags() {}

  static final String CLUSTER = "vk4j.io/cluster";
  static final String NODE = "vk4j.io/node";
  static final String NAMESPACE = "vk4j.io/namespace";
  static final String POD = "vk4j.io/pod";
  static final String UID = "vk4j.io/uid";

  /** The server-side filter for this node's groups. */
  static Map<String, String> nodeFilter(String clusterId, String nodeName) {
    Map<String, String> tags = new LinkedHashMap<>();
    put(tags, CLUSTER, clusterId);
    put(tags, NODE, nodeName);
    return tags;
  }

  /** The server-side filter for the groups of one pod name (all UIDs). */
  static Map<String, String> podFilter(String clusterId, String nodeName, String namespace, String pod) {
    Map<String, String> tags = nodeFilter(clusterId, nodeName);
    put(tags, NAMESPACE, namespace);
    put(tags, POD, pod);
    return tags;
  }

  static Map<String, String> forPod(String clusterId, String nodeName, String namespace, String pod, String uid) {
    Map<String, String> tags = podFilter(clusterId, nodeName, namespace, pod);
    put(tags, UID, uid);
    return tags;
  }

  /** Writes {@code value} under {@code key}, split over {@code key-2}, {@code key-3}... beyond 128 characters. */
  static void put(Map<String, String> tags, String key, String value) {
    int chunk = EciLimits.MAX_TAG_VALUE_LENGTH;
    tags.put(key, value.substring(0, Math.min(chunk, value.length())));
    for (int part = 2, from = chunk; from < value.length(); part++, from += chunk) {
      tags.put(key + "-" + part, value.substring(from, Math.min(from + chunk, value.length())));
    }
  }

  /** The pod a group was made for. */
  record PodIdentity(String namespace, String name, String uid) {}

  /** The pod a group of this cluster and node was made for; empty for another's group or one without it. */
  static Optional<PodIdentity> podOf(Map<String, String> tags, String clusterId, String nodeName) {
    String namespace = get(tags, NAMESPACE);
    String name = get(tags, POD);
    String uid = get(tags, UID);
    if (!clusterId.equals(get(tags, CLUSTER)) || !nodeName.equals(get(tags, NODE)) || namespace == null
        || name == null || uid == null) {
      return Optional.empty();
    }
    return Optional.of(new PodIdentity(namespace, name, uid));
  }

  /** The value {@link #put} wrote, or null. */
  static String get(Map<String, String> tags, String key) {
    String first = tags.get(key);
    if (first == null) {
      return null;
    }
    StringBuilder value = new StringBuilder(first);
    for (int part = 2; tags.containsKey(key + "-" + part); part++) {
      value.append(tags.get(key + "-" + part));
    }
    return value.toString();
  }
}
