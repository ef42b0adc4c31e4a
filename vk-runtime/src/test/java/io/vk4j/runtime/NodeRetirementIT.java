package io.vk4j.runtime;

import static io.vk4j.runtime.TestNodes.WAIT;
import static io.vk4j.runtime.TestNodes.phase;
import static io.vk4j.runtime.TestNodes.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.provider.fake.FakeBackend;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules of retirement and of the cluster sweep with the in-memory provider, whose nodes share one
 * backend in this JVM: a node killed and deleted with its pods leaves nothing in the backend once the
 * sweep ran, and a node whose StatefulSet was scaled below it retires when it is shut down.
 */
@ExtendWith(KubernetesClusterExtension.class)
class NodeRetirementIT {

  @Test
  void theSweepDeletesWhatAKilledNodeLeftAndAScaledAwayNodeRetires(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String namespace = cluster.createNamespace("retire");
    String set = cluster.uniqueName("vf");
    AppsV1Api apps = new AppsV1Api(cluster.client());
    apps.createNamespacedStatefulSet(namespace, new V1StatefulSet().metadata(new V1ObjectMeta().name(set))
        .spec(new V1StatefulSetSpec().replicas(2).serviceName(set).selector(new V1LabelSelector().matchLabels(Map.of("app", set)))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", set)))
                .spec(new V1PodSpec().putNodeSelectorItem("vk4j.io/no-such-node", "true")
                    .addContainersItem(new V1Container().name("node").image("vk4j/virtual-node"))))))
        .execute();
    VirtualNodeOptions options = TestNodes.fastOptions().statefulSetNamespace(namespace)
        .clusterSweepPeriod(Duration.ofSeconds(1)).clusterSweepSafetyAge(Duration.ofSeconds(1))
        .abandonedNodeAge(Duration.ofSeconds(11)).retirementTimeout(Duration.ofSeconds(20)).build();
    VirtualNode survivor = start(cluster, set + "-0", options);
    VirtualNode killed = start(cluster, set + "-1", options);
    VirtualNode comeback = null;
    try {
      core.createNamespacedPod(namespace, pod(namespace, "a", set + "-1")).execute();
      core.createNamespacedPod(namespace, pod(namespace, "b", set + "-1")).execute();
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, namespace, "a"))
          && "Running".equals(phase(core, namespace, "b")));
      assertThat(backendPodsOf(set + "-1")).isEqualTo(2);

      // the unsafe order: the controller dies, its Node and its pods are deleted by force
      killed.close();
      TestNodes.deleteNode(core, set + "-1");
      for (String name : new String[] {"a", "b"}) {
        core.deleteNamespacedPod(name, namespace).body(new V1DeleteOptions().gracePeriodSeconds(0L)).execute();
      }
      await("the sweep of " + set + "-0 deletes what " + set + "-1 left").atMost(WAIT)
          .until(() -> backendPodsOf(set + "-1") == 0);

      // the same name comes back, then its StatefulSet is scaled below it
      comeback = start(cluster, set + "-1", options);
      core.createNamespacedPod(namespace, pod(namespace, "c", set + "-1")).execute();
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, namespace, "c")));
      PatchUtils.patch(V1StatefulSet.class, () -> apps.patchNamespacedStatefulSet(set, namespace,
          new V1Patch("{\"spec\":{\"replicas\":1}}")).buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
          cluster.client());

      assertThat(comeback.shutdown()).as("retired").isTrue();
      assertThat(TestNodes.read(core, namespace, "c")).as("its pod").isNull();
      assertThat(backendPodsOf(set + "-1")).isZero();
      assertThat(nodeExists(core, set + "-1")).isFalse();
      assertThat(survivor.shutdown()).as("replica 0 is still wanted: closed, not retired").isFalse();
      assertThat(nodeExists(core, set + "-0")).isTrue();
    } finally {
      survivor.close();
      if (comeback != null) {
        comeback.close();
      }
      TestNodes.deleteNode(core, set + "-0");
      TestNodes.deleteNode(core, set + "-1");
    }
  }

  private static VirtualNode start(TestCluster cluster, String name, VirtualNodeOptions options) throws Exception {
    VirtualNode node = VirtualNode.builder().nodeName(name).apiClient(cluster.client())
        .providerFactory(new FakeProviderFactory()).environment(Map.of("VK4J_FAKE_START_DELAY", "0s"))
        .options(options).build();
    node.start();
    node.awaitReady(WAIT);
    return node;
  }

  private static long backendPodsOf(String nodeName) {
    return FakeBackend.jvm().pods().stream().filter(p -> p.nodeName().equals(nodeName)).count();
  }

  private static boolean nodeExists(CoreV1Api core, String name) throws ApiException {
    try {
      core.readNode(name).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
