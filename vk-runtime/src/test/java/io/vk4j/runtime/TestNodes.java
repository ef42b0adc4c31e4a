package io.vk4j.runtime;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.api.Provider;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** Virtual nodes and pods for the integration tests: short periods, unique names, clean-up. */
final class TestNodes {
  static final Duration WAIT = Duration.ofSeconds(90);

  private TestNodes() {}

  /** Periods short enough for tests on a loaded machine. */
  static VirtualNodeOptions.Builder fastOptions() {
    return VirtualNodeOptions.builder()
        .podSyncWorkers(4)
        .fullResyncPeriod(Duration.ofSeconds(10))
        .leaseDuration(Duration.ofSeconds(10))
        .leaseRenewInterval(Duration.ofSeconds(1))
        .nodeStatusUpdatePeriod(Duration.ofSeconds(5))
        .pingInterval(Duration.ofMillis(500))
        .statusPollPeriod(Duration.ofSeconds(1))
        .progressStatusDelay(Duration.ofMillis(500));
  }

  static VirtualNode start(TestCluster cluster, String nodeName, Provider provider, VirtualNodeOptions options)
      throws Exception {
    VirtualNode node = VirtualNode.builder()
        .nodeName(nodeName)
        .apiClient(cluster.client())
        .provider("fake", context -> provider)
        .options(options)
        .build();
    node.start();
    node.awaitReady(WAIT);
    return node;
  }

  /** A pod bound to {@code nodeName} directly, tolerating the virtual node's taint. */
  static V1Pod pod(String namespace, String name, String nodeName) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().namespace(namespace).name(name).annotations(new HashMap<>()))
        .spec(new V1PodSpec()
            .nodeName(nodeName)
            .containers(new ArrayList<>(List.of(new V1Container().name("main").image("nginx:1.25"))))
            .tolerations(List.of(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists")))
            .terminationGracePeriodSeconds(5L));
  }

  static void deleteNode(CoreV1Api core, String name) {
    try {
      core.deleteNode(name).execute();
    } catch (ApiException e) {
      // gone already
    } catch (RuntimeException e) {
      // the API answers with a Status the client cannot parse as a Node: deleted anyway
    }
  }

  static V1Pod read(CoreV1Api core, String namespace, String name) {
    try {
      return core.readNamespacedPod(name, namespace).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(e);
    }
  }

  static String phase(CoreV1Api core, String namespace, String name) {
    V1Pod pod = read(core, namespace, name);
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }
}
