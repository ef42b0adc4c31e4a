package io.vk4j.runtime.internal.node;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1DaemonEndpoint;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeAddress;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeDaemonEndpoints;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Taint;
import io.vk4j.api.Provider;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node as this runtime wants it: the provider's part (capacity, addresses, labels, node info)
 * from {@link Provider#configureNode}, then the runtime's own labels, taint, conditions, daemon
 * endpoints and kubelet version on top.
 */
final class NodeTemplate {
  static final Map<String, String> DEFAULT_CAPACITY = Map.of("cpu", "20", "memory", "100Gi", "pods", "3000");

  private NodeTemplate() {}

  static V1Node build(NodeSettings settings, Provider provider, String kubeletVersion) {
    V1Node node = new V1Node()
        .apiVersion("v1").kind("Node")
        .metadata(new V1ObjectMeta().name(settings.nodeName()).labels(new LinkedHashMap<>()))
        .spec(new V1NodeSpec())
        .status(new V1NodeStatus()
            .nodeInfo(new V1NodeSystemInfo()
                .architecture("amd64").bootID("").containerRuntimeVersion("vk4j://" + settings.runtimeVersion())
                .kernelVersion("").kubeProxyVersion("").kubeletVersion(kubeletVersion).machineID("")
                .operatingSystem(settings.operatingSystem()).osImage("").systemUUID(""))
            .addresses(new ArrayList<>()));
    provider.configureNode(node);

    V1ObjectMeta meta = node.getMetadata();
    meta.setName(settings.nodeName());
    Map<String, String> labels = meta.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta.getLabels());
    labels.putAll(ownLabels(settings));
    meta.setLabels(labels);

    node.getSpec().setTaints(settings.taint().map(t -> List.of(taint(t))).orElse(null));

    V1NodeStatus status = node.getStatus();
    if (status.getCapacity() == null || status.getCapacity().isEmpty()) {
      Map<String, Quantity> capacity = new HashMap<>();
      DEFAULT_CAPACITY.forEach((k, v) -> capacity.put(k, Quantity.fromString(v)));
      status.setCapacity(capacity);
    }
    if (status.getAllocatable() == null || status.getAllocatable().isEmpty()) {
      status.setAllocatable(new HashMap<>(status.getCapacity()));
    }
    List<V1NodeAddress> addresses = status.getAddresses() == null ? new ArrayList<>() : new ArrayList<>(status.getAddresses());
    if (settings.kubeletPort() > 0) {
      // the API server reaches the kubelet API (logs, exec) at the InternalIP: it must be ours
      addresses.removeIf(a -> "InternalIP".equals(a.getType()));
      addresses.add(0, new V1NodeAddress().type("InternalIP").address(settings.internalIp()));
    } else if (addresses.stream().noneMatch(a -> "InternalIP".equals(a.getType()))) {
      addresses.add(new V1NodeAddress().type("InternalIP").address(settings.internalIp()));
    }
    if (addresses.stream().noneMatch(a -> "Hostname".equals(a.getType()))) {
      addresses.add(new V1NodeAddress().type("Hostname").address(settings.nodeName()));
    }
    status.setAddresses(addresses);
    if (settings.kubeletPort() > 0) {
      status.setDaemonEndpoints(new V1NodeDaemonEndpoints()
          .kubeletEndpoint(new V1DaemonEndpoint().port(settings.kubeletPort())));
    }
    V1NodeSystemInfo info = status.getNodeInfo();
    info.setKubeletVersion(kubeletVersion);
    if (info.getOperatingSystem() == null || info.getOperatingSystem().isEmpty()) {
      info.setOperatingSystem(settings.operatingSystem());
    }
    status.setConditions(null);
    return node;
  }

  static Map<String, String> ownLabels(NodeSettings settings) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/role", "agent");
    labels.put("kubernetes.io/hostname", settings.nodeName());
    labels.put("kubernetes.io/os", settings.operatingSystem());
    return labels;
  }

  static V1Taint taint(NodeSettings.Taint taint) {
    return new V1Taint().key(taint.key()).value(taint.value()).effect(taint.effect());
  }

  /**
   * The taints to set so that ours is present without losing anybody else's; {@code null} when
   * {@code current} already has ours (same key and effect).
   */
  static List<V1Taint> withOurTaint(List<V1Taint> current, NodeSettings.Taint ours) {
    List<V1Taint> taints = current == null ? new ArrayList<>() : new ArrayList<>(current);
    boolean present = taints.stream().anyMatch(t -> ours.key().equals(t.getKey()) && ours.effect().equals(t.getEffect()));
    if (present) {
      return null;
    }
    taints.add(taint(ours));
    return taints;
  }

  /** The condition types the runtime owns on its Node. */
  static final List<String> CONDITION_TYPES =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  /**
   * The conditions the node reports: Ready unless {@code notReady} says why not (true or false since
   * {@code readySince}), and no pressure.
   */
  static List<V1NodeCondition> conditions(OffsetDateTime now, OffsetDateTime readySince, String notReady) {
    V1NodeCondition ready = notReady == null
        ? condition("Ready", "True", "KubeletReady", "vk4j virtual kubelet is ready", now, readySince)
        : condition("Ready", "False", "KubeletNotReady", notReady, now, readySince);
    return List.of(
        ready,
        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "the provider has sufficient memory", now, readySince),
        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "the provider has no disk pressure", now, readySince),
        condition("PIDPressure", "False", "KubeletHasSufficientPID", "the provider has sufficient PIDs", now, readySince),
        condition("NetworkUnavailable", "False", "RouteCreated", "the provider's network is available", now, readySince));
  }

  private static V1NodeCondition condition(String type, String status, String reason, String message,
      OffsetDateTime heartbeat, OffsetDateTime transition) {
    return new V1NodeCondition().type(type).status(status).reason(reason).message(message)
        .lastHeartbeatTime(heartbeat).lastTransitionTime(transition);
  }
}
