package io.vk4j.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1NodeSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the test cluster is a real Kubernetes control plane: watches, patches, the scheduler. */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneSmokeIT {
  private static final String TAINT_KEY = "virtual-kubelet.io/provider";

  private CoreV1Api core;
  private String namespace;
  private String nodeName;
  private String nodeLabel;

  @BeforeAll
  void setUp(TestCluster cluster) throws Exception {
    core = cluster.core();
    namespace = cluster.createNamespace("smoke");
    nodeName = cluster.uniqueName("smoke-node");
    nodeLabel = nodeName; // a label only this node carries, so other tests' nodes never match
    core.createNode(new V1Node()
        .metadata(new V1ObjectMeta().name(nodeName).labels(Map.of("type", "virtual-kubelet", "smoke", nodeLabel)))
        .spec(new V1NodeSpec().addTaintsItem(new V1Taint().key(TAINT_KEY).value("smoke").effect("NoSchedule"))))
        .execute();
    markReady(cluster.client());
  }

  @AfterAll
  void tearDown() throws Exception {
    core.deleteNode(nodeName).execute();
  }

  @Test
  void watchWithNodeNameFieldSelectorSeesABoundPod(TestCluster cluster) throws Exception {
    ApiClient client = cluster.client();
    CoreV1Api watchApi = new CoreV1Api(client);
    String selector = "spec.nodeName=" + nodeName;
    // Watching from the list's resourceVersion sees every change after it, whenever the watch starts.
    String resourceVersion = watchApi.listNamespacedPod(namespace).fieldSelector(selector).execute()
        .getMetadata().getResourceVersion();
    String unbound = cluster.uniqueName("unbound");
    String bound = cluster.uniqueName("bound");
    core.createNamespacedPod(namespace, pod(unbound).spec(podSpec().nodeName("some-other-node"))).execute();
    core.createNamespacedPod(namespace, pod(bound).spec(podSpec().nodeName(nodeName))).execute();

    try (Watch<V1Pod> watch = Watch.createWatch(client,
        watchApi.listNamespacedPod(namespace).fieldSelector(selector).resourceVersion(resourceVersion)
            .watch(true).timeoutSeconds(120).buildCall(null),
        new TypeToken<Watch.Response<V1Pod>>() {}.getType())) {
      Watch.Response<V1Pod> first = watch.next();
      assertThat(first.type).isEqualTo("ADDED");
      assertThat(first.object.getMetadata().getName()).isEqualTo(bound);
      assertThat(first.object.getSpec().getNodeName()).isEqualTo(nodeName);
    }
  }

  @Test
  void strategicMergePatchOfNodeStatusKeepsOtherConditions(TestCluster cluster) throws Exception {
    String patch = "{\"status\":{\"conditions\":[{\"type\":\"SmokeTest\",\"status\":\"True\","
        + "\"reason\":\"Patched\",\"lastHeartbeatTime\":\"" + now() + "\"}]}}";
    V1Node patched = PatchUtils.patch(V1Node.class,
        () -> core.patchNodeStatus(nodeName, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, cluster.client());

    assertThat(patched.getStatus().getConditions())
        .extracting(V1NodeCondition::getType)
        .contains("SmokeTest", "Ready");
  }

  @Test
  void schedulerBindsPodWithSelectorAndTolerationToTaintedNode(TestCluster cluster) throws Exception {
    String podName = cluster.uniqueName("scheduled");
    core.createNamespacedPod(namespace, pod(podName).spec(podSpec()
        .nodeSelector(Map.of("type", "virtual-kubelet", "smoke", nodeLabel))
        .addTolerationsItem(new V1Toleration().key(TAINT_KEY).operator("Exists"))))
        .execute();

    await("pod " + podName + " bound by kube-scheduler")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> nodeName.equals(core.readNamespacedPod(podName, namespace).execute().getSpec().getNodeName()));
  }

  @Test
  void schedulerLeavesPodWithoutTolerationPending(TestCluster cluster) throws Exception {
    String podName = cluster.uniqueName("untolerated");
    core.createNamespacedPod(namespace, pod(podName).spec(podSpec()
        .nodeSelector(Map.of("type", "virtual-kubelet", "smoke", nodeLabel)))).execute();

    // The scheduler reports why it cannot place the pod, which proves it looked at the taint.
    await("pod " + podName + " marked unschedulable")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> {
          V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
          return pod.getStatus() != null && pod.getStatus().getConditions() != null
              && pod.getStatus().getConditions().stream()
                  .anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()));
        });
    assertThat(core.readNamespacedPod(podName, namespace).execute().getSpec().getNodeName()).isNull();
  }

  private void markReady(ApiClient client) throws Exception {
    String patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Smoke\","
        + "\"lastHeartbeatTime\":\"" + now() + "\",\"lastTransitionTime\":\"" + now() + "\"}],"
        + "\"capacity\":{\"cpu\":\"8\",\"memory\":\"32Gi\",\"pods\":\"110\"},"
        + "\"allocatable\":{\"cpu\":\"8\",\"memory\":\"32Gi\",\"pods\":\"110\"}}}";
    PatchUtils.patch(V1Node.class, () -> core.patchNodeStatus(nodeName, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }

  private static String now() {
    return OffsetDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static V1Pod pod(String name) {
    return new V1Pod().metadata(new V1ObjectMeta().name(name));
  }

  private static V1PodSpec podSpec() {
    return new V1PodSpec().addContainersItem(new V1Container().name("app").image("nginx"));
  }
}
