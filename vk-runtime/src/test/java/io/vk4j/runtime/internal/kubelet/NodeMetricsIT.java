package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * vk4j's own {@code /metrics} on the kubelet API, scraped as Prometheus scrapes a kubelet (through the API
 * server's node proxy, or directly with a token allowed {@code nodes/metrics}), and the probes.
 */
@ExtendWith(KubernetesClusterExtension.class)
class NodeMetricsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void metricsAreServedToWhomTheNodesMetricsMayBeReadAndProbesToAll(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.uniqueName("vk-metrics");
    String namespace = cluster.createNamespace("metrics");
    VirtualNode node = VirtualNode.builder().nodeName(nodeName).apiClient(cluster.client())
        .providerFactory(new FakeProviderFactory())
        .environment(Map.of("VK4J_FAKE_START_DELAY", "0s"))
        .options(VirtualNodeOptions.builder().internalIp("127.0.0.1").kubeletApiPort(0)
            .kubeletApi(KubeletApiOptions.builder().clientCaFile(cluster.kubeletClientCaFile()).build()).build())
        .build();
    try {
      node.start();
      node.awaitReady(TIMEOUT);
      core.createNamespacedPod(namespace, new V1Pod().metadata(new V1ObjectMeta().name("app"))
          .spec(new V1PodSpec().nodeName(nodeName)
              .addContainersItem(new V1Container().name("app").image("nginx"))
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
          .execute();
      await().atMost(TIMEOUT).until(() -> "Running".equals(
          core.readNamespacedPod("app", namespace).execute().getStatus().getPhase()));
      int port = node.kubeletApiPort().orElseThrow();

      HttpsTestClient anonymous = new HttpsTestClient(port, null);
      assertThat(anonymous.get("/healthz").body()).isEqualTo("ok");
      assertThat(anonymous.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(anonymous.get("/metrics").statusCode()).isEqualTo(401);

      core.createNamespacedServiceAccount(namespace, new V1ServiceAccount().metadata(new V1ObjectMeta().name("nosy")))
          .execute();
      String token = core.createNamespacedServiceAccountToken("nosy", namespace, new AuthenticationV1TokenRequest()
          .spec(new V1TokenRequestSpec().audiences(List.of("https://kubernetes.default.svc")).expirationSeconds(600L)))
          .execute().getStatus().getToken();
      HttpResponse<String> refused = new HttpsTestClient(port, token).get("/metrics");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("subresource(s)=[metrics]");

      Assumptions.assumeTrue(cluster.kubeletClientCaFile().isPresent(), "the API server's kubelet client CA is unknown");
      await().atMost(TIMEOUT).untilAsserted(() -> {
        String metrics = core.connectGetNodeProxyWithPath(nodeName, "metrics").execute();
        assertThat(metrics)
            .contains("vk4j_pods{node=\"" + nodeName + "\",phase=\"Running\"} 1.0")
            .contains("vk4j_provider_call_duration_seconds_count{method=\"createPod\",node=\"" + nodeName + "\"} 1")
            .contains("vk4j_reconcile_duration_seconds_count{node=\"" + nodeName + "\"}")
            .contains("vk4j_workqueue_latency_seconds_bucket{node=\"" + nodeName + "\",le=")
            .contains("vk4j_node_heartbeat_age_seconds{node=\"" + nodeName + "\"}")
            .contains("vk4j_api_requests_total{code=\"201\",verb=\"POST\"}")
            .contains("vk4j_node_ready{node=\"" + nodeName + "\"} 1.0");
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-sample.txt"), metrics);
      });
    } finally {
      node.close();
      core.deleteNode(nodeName).execute();
    }
  }
}
