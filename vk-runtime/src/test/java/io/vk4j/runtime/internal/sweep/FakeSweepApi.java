package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.vk4j.runtime.internal.node.NodeSettings;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An API server in memory for the sweep: Nodes, pods, Leases (with resourceVersions) and StatefulSet replicas. */
final class FakeSweepApi implements SweepApi {
  final Map<String, V1Node> nodes = new ConcurrentHashMap<>();
  final Map<String, V1Pod> pods = new ConcurrentHashMap<>();
  final Map<String, V1Lease> leases = new ConcurrentHashMap<>();
  final Map<String, Integer> statefulSets = new ConcurrentHashMap<>();
  final List<String> cordoned = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile boolean nodesFail;
  volatile boolean podReadsFail;
  private long version;

  V1Node addNode(String name, String provider, Map<String, String> more) {
    Map<String, String> labels = new java.util.HashMap<>(more);
    labels.put(NodeSettings.PROVIDER_LABEL, provider);
    V1Node node = new V1Node().metadata(new V1ObjectMeta().name(name).uid("uid-" + name).labels(labels)
        .creationTimestamp(OffsetDateTime.parse("2020-01-01T00:00:00Z")));
    nodes.put(name, node);
    return node;
  }

  void heartbeat(String node, OffsetDateTime at) {
    leases.put("kube-node-lease/" + node, new V1Lease().metadata(new V1ObjectMeta().namespace("kube-node-lease")
        .name(node).resourceVersion(Long.toString(++version))).spec(new V1LeaseSpec().holderIdentity(node)
        .renewTime(at.withOffsetSameInstant(ZoneOffset.UTC))));
  }

  V1Pod addPod(String namespace, String name, String uid, String nodeName) {
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().namespace(namespace).name(name).uid(uid))
        .spec(new V1PodSpec().nodeName(nodeName));
    pods.put(namespace + "/" + name, pod);
    return pod;
  }

  @Override
  public List<V1Node> listNodes() throws ApiException {
    if (nodesFail) {
      throw new ApiException(500, "etcd is having a day");
    }
    return new ArrayList<>(nodes.values());
  }

  @Override
  public synchronized Optional<V1Lease> readLease(String namespace, String name) {
    V1Lease lease = leases.get(namespace + "/" + name);
    return Optional.ofNullable(lease == null ? null : copy(lease));
  }

  @Override
  public synchronized V1Lease createLease(V1Lease lease) throws ApiException {
    String key = lease.getMetadata().getNamespace() + "/" + lease.getMetadata().getName();
    if (leases.containsKey(key)) {
      throw new ApiException(409, "exists");
    }
    lease.getMetadata().resourceVersion(Long.toString(++version));
    leases.put(key, copy(lease));
    return lease;
  }

  @Override
  public synchronized V1Lease replaceLease(V1Lease lease) throws ApiException {
    String key = lease.getMetadata().getNamespace() + "/" + lease.getMetadata().getName();
    V1Lease current = leases.get(key);
    if (current == null || !current.getMetadata().getResourceVersion().equals(lease.getMetadata().getResourceVersion())) {
      throw new ApiException(409, "conflict");
    }
    lease.getMetadata().resourceVersion(Long.toString(++version));
    leases.put(key, copy(lease));
    return lease;
  }

  private static V1Lease copy(V1Lease lease) {
    return io.kubernetes.client.openapi.JSON.deserialize(io.kubernetes.client.openapi.JSON.serialize(lease), V1Lease.class);
  }

  @Override
  public Optional<V1Pod> readPod(String namespace, String name) throws ApiException {
    if (podReadsFail) {
      throw new ApiException(503, "unavailable");
    }
    return Optional.ofNullable(pods.get(namespace + "/" + name));
  }

  @Override
  public List<V1Pod> podsOn(String nodeName) {
    return pods.values().stream().filter(p -> nodeName.equals(p.getSpec().getNodeName())).toList();
  }

  @Override
  public void deletePod(V1Pod pod, Optional<Long> gracePeriodSeconds) {
    pods.remove(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod);
  }

  @Override
  public void cordon(V1Node node) {
    cordoned.add(node.getMetadata().getName());
  }

  @Override
  public void deleteNode(V1Node node) {
    nodes.remove(node.getMetadata().getName());
  }

  @Override
  public OptionalInt statefulSetReplicas(String namespace, String name) {
    Integer replicas = statefulSets.get(namespace + "/" + name);
    return replicas == null ? OptionalInt.empty() : OptionalInt.of(replicas);
  }

  @Override
  public void nodeEvent(V1Node node, String type, String reason, String message) {
    events.add(reason + " " + node.getMetadata().getName());
  }
}
