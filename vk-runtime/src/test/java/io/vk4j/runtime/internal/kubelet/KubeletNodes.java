package io.vk4j.runtime.internal.kubelet;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Virtual nodes with the in-memory provider whose kubelet API the cluster's API server reaches and
 * lets in with its client certificate, and pods on them, for the kubelet API's integration tests.
 * A node is named after a loopback address and listens there, so the API server reaches it
 * whichever node address type it prefers.
 */
final class KubeletNodes {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private KubeletNodes() {}

  /** Starts a Ready node; {@code api} is completed with the cluster's kubelet client CA. */
  static VirtualNode start(TestCluster cluster, String nodeName, KubeletApiOptions.Builder api) throws Exception {
    VirtualNode node = VirtualNode.builder()
        .nodeName(nodeName)
        .apiClient(cluster.client())
        .providerFactory(new FakeProviderFactory())
        .environment(Map.of("VKUBELET_POD_IP", nodeName, "VK4J_FAKE_START_DELAY", "0s"))
        .options(VirtualNodeOptions.builder().internalIp(nodeName).kubeletApiPort(0)
            .kubeletApi(api.clientCaFile(cluster.kubeletClientCaFile()).build())
            .build())
        .build();
    node.start();
    node.awaitReady(TIMEOUT);
    return node;
  }

  /** Creates a pod bound to {@code nodeName} with the containers named, and waits until it runs. */
  static void runningPod(TestCluster cluster, String namespace, String nodeName, String name,
      Map<String, String> annotations, String restartPolicy, List<String> containers) throws ApiException {
    V1PodSpec spec = new V1PodSpec()
        .nodeName(nodeName)
        .restartPolicy(restartPolicy)
        .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"));
    for (String container : containers) {
      spec.addContainersItem(new V1Container().name(container).image(container.equals("app") ? "nginx" : "busybox"));
    }
    cluster.core().createNamespacedPod(namespace, new V1Pod()
        .metadata(new V1ObjectMeta().name(name).annotations(annotations)).spec(spec)).execute();
    await().atMost(TIMEOUT).until(() -> "Running".equals(
        cluster.core().readNamespacedPod(name, namespace).execute().getStatus().getPhase()));
  }
}
