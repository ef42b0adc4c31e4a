package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kubelet API as the API server uses it: {@code kubectl logs} and the node proxy reach a
 * virtual node's kubelet API at the Node's address and daemon endpoint port, over TLS.
 *
 * <p>The node is named after a loopback address (for example {@code 127.23.4.5}) and listens there.
 * A 1.20 API server, unless told {@code --kubelet-preferred-address-types=InternalIP,...}, dials the
 * node's {@code Hostname} address or {@code kubernetes.io/hostname} label first; naming the node
 * after its address makes the test independent of that setting without touching the cluster.
 */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletApiIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private CoreV1Api core;
  private String nodeName;
  private String namespace;
  private VirtualNode node;
  private String podName;

  @BeforeAll
  void startNodeWithARunningPod(TestCluster cluster) throws Exception {
    core = cluster.core();
    nodeName = cluster.loopbackNodeName();
    namespace = cluster.createNamespace("kubelet-api");
    node = VirtualNode.builder()
        .nodeName(nodeName)
        .apiClient(cluster.client())
        .providerFactory(new FakeProviderFactory())
        .environment(Map.of("VKUBELET_POD_IP", nodeName, "VK4J_FAKE_START_DELAY", "0s"))
        .options(VirtualNodeOptions.builder().internalIp(nodeName).kubeletApiPort(0)
            .kubeletApi(KubeletApiOptions.builder().clientCaFile(cluster.kubeletClientCaFile()).build())
            .build())
        .build();
    node.start();
    node.awaitReady(TIMEOUT);

    podName = cluster.uniqueName("logs");
    core.createNamespacedPod(namespace, new V1Pod()
        .metadata(new V1ObjectMeta().name(podName))
        .spec(new V1PodSpec()
            .nodeName(nodeName)
            .addContainersItem(new V1Container().name("app").image("nginx"))
            .addContainersItem(new V1Container().name("sidecar").image("busybox"))
            .addContainersItem(new V1Container().name("helper").image("busybox"))
            .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
        .execute();
    await().atMost(TIMEOUT).until(() -> "Running".equals(
        core.readNamespacedPod(podName, namespace).execute().getStatus().getPhase()));
  }

  @AfterAll
  void stopNode() throws ApiException {
    if (node != null) {
      node.close();
      core.deleteNode(nodeName).execute();
    }
  }

  @Test
  void nodeAdvertisesTheKubeletApiPort() throws ApiException {
    Integer port = core.readNode(nodeName).execute().getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();

    assertThat(port).isEqualTo(node.kubeletApiPort().orElseThrow());
  }

  @Test
  void podLogThroughTheApiServerIsTheFakeContainersLog() throws ApiException {
    String log = core.readNamespacedPodLog(podName, namespace).container("app").execute();

    assertThat(log).contains("fake container app started (image nginx)");
  }

  @Test
  void tailLinesReachesTheProvider() throws ApiException {
    String all = core.readNamespacedPodLog(podName, namespace).container("app").execute();
    String last = core.readNamespacedPodLog(podName, namespace).container("app").tailLines(1).execute();

    assertThat(all.lines().count()).isGreaterThanOrEqualTo(1);
    assertThat(last.lines().count()).isEqualTo(1);
    assertThat(all).endsWith(last);
  }

  @Test
  void followedLogStreamsThroughTheApiServer() throws Exception {
    Call call = core.readNamespacedPodLog(podName, namespace).container("app").follow(true).buildCall(null);

    try (Response response = call.execute();
        BufferedReader lines = new BufferedReader(
            new InputStreamReader(response.body().byteStream(), StandardCharsets.UTF_8))) {
      assertThat(response.code()).isEqualTo(200);
      // the first line arrives while the stream stays open for more
      assertThat(lines.readLine()).contains("fake container app started");
    }
  }

  @Test
  void unknownContainerIsRefusedByTheApiServer() {
    ApiException error = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class,
        () -> core.readNamespacedPodLog(podName, namespace).container("nope").execute());

    assertThat(error.getCode()).isEqualTo(400);
  }

  /** Upstream's TestGetStatsSummary: a pod with three containers has three container stats. */
  @Test
  void statsSummaryThroughTheNodeProxy() throws ApiException {
    JsonObject summary = JsonParser.parseString(
        core.connectGetNodeProxyWithPath(nodeName, "stats/summary").execute()).getAsJsonObject();

    assertThat(summary.getAsJsonObject("node").get("nodeName").getAsString()).isEqualTo(nodeName);
    JsonObject pod = summary.getAsJsonArray("pods").asList().stream().map(JsonElement::getAsJsonObject)
        .filter(p -> p.getAsJsonObject("podRef").get("name").getAsString().equals(podName))
        .findFirst().orElseThrow();
    assertThat(pod.getAsJsonObject("podRef").get("namespace").getAsString()).isEqualTo(namespace);
    assertThat(pod.getAsJsonArray("containers").asList()).extracting(c -> c.getAsJsonObject().get("name").getAsString())
        .containsExactlyInAnyOrder("app", "sidecar", "helper");
    assertThat(pod.getAsJsonObject("cpu").has("usageNanoCores")).isTrue();
    assertThat(pod.getAsJsonObject("memory").has("workingSetBytes")).isTrue();
  }

  @Test
  void resourceMetricsThroughTheNodeProxy() throws ApiException {
    String metrics = core.connectGetNodeProxyWithPath(nodeName, "metrics/resource").execute();

    assertThat(metrics)
        .contains("container_cpu_usage_seconds_total{container=\"app\",namespace=\"" + namespace + "\",pod=\""
            + podName + "\"}")
        .contains("node_memory_working_set_bytes ")
        .contains("scrape_error 0");
  }

  @Test
  void podsThroughTheNodeProxyListThePodsOnTheNode() throws ApiException {
    String pods = core.connectGetNodeProxyWithPath(nodeName, "pods").execute();

    assertThat(pods).contains("\"kind\":\"PodList\"").contains("\"name\":\"" + podName + "\"");
  }
}
