package io.vk4j.provider.eci;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags that tie a container group to its cluster, node and pod. The provider filters on the
 * first two on the server, so it never lists other clusters' or other nodes' groups, and reads the
 * pod's identity back from the others.
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
    tags.put(CLUSTER, clusterId);
    tags.put(NODE, nodeName);
    return tags;
  }

  static Map<String, String> forPod(String clusterId, String nodeName, String namespace, String pod, String uid) {
    Map<String, String> tags = nodeFilter(clusterId, nodeName);
    tags.put(NAMESPACE, namespace);
    tags.put(POD, pod);
    tags.put(UID, uid);
    return tags;
  }
}
