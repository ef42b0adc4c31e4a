package io.vk4j.runtime;

import static io.vk4j.runtime.TestNodes.WAIT;
import static io.vk4j.runtime.TestNodes.phase;
import static io.vk4j.runtime.TestNodes.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.provider.fake.FakeProvider;
import io.vk4j.provider.fake.FakeProviderOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Node and its Lease on a real API server, with the real scheduler. */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeIT {
  private TestCluster cluster;
  private ApiClient client;
  private CoreV1Api core;
  private CoordinationV1Api coordination;
  private String ns;
  private String nodeName;
  private String nodeLabel;
  private FakeProvider fake;
  private TestProvider provider;
  private VirtualNode node;

  @BeforeAll
  void startNode(TestCluster cluster) throws Exception {
    this.cluster = cluster;
    client = cluster.client();
    core = cluster.core();
    coordination = new CoordinationV1Api(client);
    ns = cluster.createNamespace("node");
    nodeName = cluster.uniqueName("vk-node");
    nodeLabel = nodeName;
    fake = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ofMillis(200)).build());
    provider = new TestProvider(fake);
    provider.nodeLabels.put("vk4j.io/test-node", nodeLabel);
    node = TestNodes.start(cluster, nodeName, provider, TestNodes.fastOptions().build());
  }

  @AfterAll
  void stopNode() throws Exception {
    try {
      for (V1Pod pod : core.listNamespacedPod(ns).execute().getItems()) {
        core.deleteNamespacedPod(pod.getMetadata().getName(), ns).gracePeriodSeconds(0).execute();
      }
    } finally {
      node.close();
      fake.close();
      TestNodes.deleteNode(core, nodeName);
    }
  }

  private V1Node readNode() {
    try {
      return core.readNode(nodeName).execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(e);
    }
  }

  private V1Lease readLease() {
    try {
      return coordination.readNamespacedLease(nodeName, "kube-node-lease").execute();
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime renewTime() {
    V1Lease lease = readLease();
    return lease == null ? null : lease.getSpec().getRenewTime();
  }

  private static String condition(V1Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
        .map(V1NodeCondition::getStatus).findFirst().orElse(null);
  }

  @Test
  void theNodeIsReadyWithItsLabelsTaintAndARenewingLease() {
    V1Node registered = readNode();
    assertThat(registered.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet").containsEntry("kubernetes.io/role", "agent")
        .containsEntry("kubernetes.io/hostname", nodeName).containsEntry("kubernetes.io/os", "linux");
    assertThat(registered.getSpec().getTaints()).anySatisfy(t -> {
      assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider");
      assertThat(t.getValue()).isEqualTo("fake");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    assertThat(condition(registered, "Ready")).isEqualTo("True");
    assertThat(condition(registered, "MemoryPressure")).isEqualTo("False");
    assertThat(registered.getStatus().getNodeInfo().getKubeletVersion()).contains("-vk4j-");
    assertThat(registered.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");

    V1Lease lease = readLease();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(nodeName);
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(10);
    assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(registered.getMetadata().getUid()));
    OffsetDateTime first = lease.getSpec().getRenewTime();
    await().atMost(WAIT).until(() -> renewTime().isAfter(first));
  }

  @Test
  void aFailingPingMakesTheNodeNotReadySayingWhyWhileTheLeaseKeepsRenewing() {
    provider.pingFails = true;
    try {
      await().atMost(WAIT).until(() -> "False".equals(condition(readNode(), "Ready")));
      assertThat(readNode().getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
          .satisfies(c -> assertThat(c.getMessage()).isEqualTo("provider ping failed: the test switched ping off"));
      OffsetDateTime during = renewTime();
      await().atMost(WAIT).until(() -> renewTime().isAfter(during));
    } finally {
      provider.pingFails = false;
    }
    await().atMost(WAIT).until(() -> "True".equals(condition(readNode(), "Ready")));
  }

  @Test
  void aReadyConditionSomeoneElseWroteIsCorrectedWithinSeconds() throws Exception {
    await().atMost(WAIT).until(() -> "True".equals(condition(readNode(), "Ready")));
    // what the node lifecycle controller writes when it misses heartbeats
    String unknown = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\","
        + "\"reason\":\"NodeStatusUnknown\",\"message\":\"Kubelet stopped posting node status.\"}]}}";
    PatchUtils.patch(V1Node.class, () -> core.patchNodeStatus(nodeName, new V1Patch(unknown)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    // the status heartbeat of these tests is 5 s: within 3 s only the watch can have corrected it
    await().atMost(Duration.ofSeconds(3)).until(() -> "True".equals(condition(readNode(), "Ready")));
  }

  @Test
  void aPodWithTheSeedsSelectorAndTolerationIsScheduledHereAndRuns() throws Exception {
    V1Pod pod = new V1Pod()
        .metadata(new V1ObjectMeta().name("scheduled").namespace(ns))
        .spec(new V1PodSpec()
            .containers(List.of(new V1Container().name("nginx").image("nginx")))
            .nodeSelector(Map.of("type", "virtual-kubelet", "vk4j.io/test-node", nodeLabel))
            .tolerations(List.of(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))));
    core.createNamespacedPod(ns, pod).execute();
    await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "scheduled")));
    assertThat(read(core, ns, "scheduled").getSpec().getNodeName()).isEqualTo(nodeName);
  }

  @Test
  void othersLabelsTaintsAndConditionsSurviveARestart() throws Exception {
    String labelPatch = "{\"metadata\":{\"labels\":{\"team\":\"blue\"}}}";
    PatchUtils.patch(V1Node.class, () -> core.patchNode(nodeName, new V1Patch(labelPatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    V1Node current = readNode();
    List<V1Taint> taints = new java.util.ArrayList<>(current.getSpec().getTaints());
    taints.add(new V1Taint().key("example.com/dedicated").value("batch").effect("PreferNoSchedule"));
    String taintPatch = "{\"spec\":{\"taints\":" + io.kubernetes.client.openapi.JSON.serialize(taints) + "}}";
    PatchUtils.patch(V1Node.class, () -> core.patchNode(nodeName, new V1Patch(taintPatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    String conditionPatch = "{\"status\":{\"conditions\":[{\"type\":\"VendorCheck\",\"status\":\"True\","
        + "\"reason\":\"Checked\",\"message\":\"set by another controller\"}]}}";
    PatchUtils.patch(V1Node.class, () -> core.patchNodeStatus(nodeName, new V1Patch(conditionPatch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);

    node.close();
    node = TestNodes.start(cluster, nodeName, provider, TestNodes.fastOptions().build());
    OffsetDateTime restartedAt = OffsetDateTime.now().minusSeconds(1);
    // after a status heartbeat of the new runtime, the others' parts are still there
    await().atMost(WAIT).until(() -> readNode().getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getLastHeartbeatTime().isAfter(restartedAt)));
    V1Node after = readNode();
    assertThat(after.getMetadata().getLabels()).containsEntry("team", "blue").containsEntry("type", "virtual-kubelet");
    assertThat(after.getSpec().getTaints()).extracting(V1Taint::getKey)
        .contains("example.com/dedicated", "virtual-kubelet.io/provider")
        .filteredOn(k -> k.equals("virtual-kubelet.io/provider")).hasSize(1);
    assertThat(after.getStatus().getConditions()).extracting(V1NodeCondition::getType).contains("VendorCheck", "Ready");
  }

  @Test
  void aNodeDeletedFromOutsideComesBackWithinOneLeaseRenewalInterval() {
    String oldUid = readNode().getMetadata().getUid();
    TestNodes.deleteNode(core, nodeName);
    // the lease renewal interval of these tests is 1 s, the status heartbeat 5 s: allow a loaded machine 4 s
    await().atMost(Duration.ofSeconds(4)).until(() -> {
      V1Node again = readNode();
      return again != null && !again.getMetadata().getUid().equals(oldUid)
          && "True".equals(condition(again, "Ready"));
    });
    String newUid = readNode().getMetadata().getUid();
    await().atMost(WAIT).until(() -> {
      V1Lease lease = readLease();
      return lease != null && lease.getMetadata().getOwnerReferences().stream().anyMatch(o -> newUid.equals(o.getUid()));
    });
  }

  @Test
  void aNodeWhoseProviderCannotListIsNotReadyAndPodsBoundMeanwhileSayWhy() throws Exception {
    String otherName = cluster.uniqueName("vk-node-unlisted");
    FakeProvider otherFake = new FakeProvider();
    TestProvider unlisted = new TestProvider(otherFake);
    unlisted.listFails = true;
    try (VirtualNode other = VirtualNode.builder().nodeName(otherName).apiClient(client)
        .provider("fake", context -> unlisted).options(TestNodes.fastOptions().build()).build()) {
      other.start();
      // the status heartbeat of these tests is 5 s: the reason reaches the Node before that
      await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(core.readNode(otherName).execute()
          .getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready")).singleElement()
          .satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).isEqualTo("the pods cannot run yet: listing the provider's pods failed: the test"
                + " switched listing off");
          }));
      core.createNamespacedPod(ns, TestNodes.pod(ns, "early", otherName)).execute();
      await().atMost(WAIT).until(() -> core.listNamespacedEvent(ns).fieldSelector("involvedObject.name=early")
          .execute().getItems().stream().anyMatch(e -> "NodeNotReady".equals(e.getReason())));
      assertThat(other.isReady()).isFalse();

      unlisted.listFails = false;
      other.awaitReady(WAIT);
      assertThat(condition(core.readNode(otherName).execute(), "Ready")).isEqualTo("True");
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "early")));
    } finally {
      otherFake.close();
      TestNodes.deleteNode(core, otherName);
    }
  }

  @Test
  void twoVirtualNodesInOneJvmDoNotInterfere() throws Exception {
    String otherName = cluster.uniqueName("vk-node-b");
    FakeProvider otherFake = new FakeProvider();
    try (VirtualNode other = TestNodes.start(cluster, otherName, otherFake, TestNodes.fastOptions().build())) {
      core.createNamespacedPod(ns, TestNodes.pod(ns, "on-a", nodeName)).execute();
      core.createNamespacedPod(ns, TestNodes.pod(ns, "on-b", otherName)).execute();
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "on-a")) && "Running".equals(phase(core, ns, "on-b")));
      assertThat(fake.getPod(ns, "on-a")).isPresent();
      assertThat(fake.getPod(ns, "on-b")).isEmpty();
      assertThat(otherFake.getPod(ns, "on-b")).isPresent();
      assertThat(otherFake.getPod(ns, "on-a")).isEmpty();
      assertThat(other.provider()).isSameAs(otherFake);
    } finally {
      otherFake.close();
      TestNodes.deleteNode(core, otherName);
    }
  }
}
