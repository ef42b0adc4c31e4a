package io.vk4j.runtime;

import static io.vk4j.runtime.TestNodes.WAIT;
import static io.vk4j.runtime.TestNodes.phase;
import static io.vk4j.runtime.TestNodes.pod;
import static io.vk4j.runtime.TestNodes.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.provider.fake.FakeProvider;
import io.vk4j.provider.fake.FakeProviderOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restarting the runtime: pods are adopted, never re-created, and only true orphans are deleted. */
@ExtendWith(KubernetesClusterExtension.class)
class RestartIT {
  private static final int PODS = 200;

  private static VirtualNodeOptions options() {
    return TestNodes.fastOptions().fullResyncPeriod(Duration.ofSeconds(2)).podSyncWorkers(10).build();
  }

  private static Map<String, String> resourceVersions(CoreV1Api core, String ns) throws Exception {
    Map<String, String> versions = new HashMap<>();
    for (V1Pod pod : core.listNamespacedPod(ns).execute().getItems()) {
      versions.put(pod.getMetadata().getName(), pod.getMetadata().getResourceVersion());
    }
    return versions;
  }

  private static long running(CoreV1Api core, String ns) throws Exception {
    return core.listNamespacedPod(ns).execute().getItems().stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
  }

  @Test
  void restartWithRunningPodsRecreatesAndDeletesNothingAndWritesNothing(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("restart");
    String nodeName = cluster.uniqueName("vk-restart");
    FakeProvider fake = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ofMillis(100))
        .deletedPodRetention(Duration.ZERO).build());
    TestProvider provider = new TestProvider(fake);
    VirtualNode first = TestNodes.start(cluster, nodeName, provider, options());
    VirtualNode second = null;
    try {
      for (int i = 0; i < PODS; i++) {
        core.createNamespacedPod(ns, pod(ns, "p-" + i, nodeName)).execute();
      }
      await().atMost(Duration.ofMinutes(3)).until(() -> running(core, ns) == PODS);
      assertThat(provider.creates.get()).isEqualTo(PODS);
      // steady state: a few resyncs later, no pod was written
      Map<String, String> settled = resourceVersions(core, ns);
      await().during(Duration.ofSeconds(5)).atMost(WAIT).until(() -> resourceVersions(core, ns).equals(settled));

      first.close();
      provider.creates.set(0);
      provider.deletes.set(0);
      second = TestNodes.start(cluster, nodeName, provider, options());
      // several full resyncs of the new runtime: nothing created, deleted or written
      await().during(Duration.ofSeconds(6)).atMost(WAIT).until(() ->
          provider.creates.get() == 0 && provider.deletes.get() == 0
              && resourceVersions(core, ns).equals(settled));
      assertThat(fake.listPods()).hasSize(PODS);

      // and the new runtime carries on: a new pod runs, a deleted one goes
      core.createNamespacedPod(ns, pod(ns, "after-restart", nodeName)).execute();
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "after-restart")));
      core.deleteNamespacedPod("p-0", ns).execute();
      await().atMost(WAIT).until(() -> read(core, ns, "p-0") == null);
      assertThat(provider.creates.get()).isEqualTo(1);
      assertThat(provider.deletes.get()).isEqualTo(1);
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
      core.deleteCollectionNamespacedPod(ns).gracePeriodSeconds(0).execute();
      fake.close();
      TestNodes.deleteNode(core, nodeName);
    }
  }

  @Test
  void startupSweepDeletesExactlyTheOrphans(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("sweep");
    String nodeName = cluster.uniqueName("vk-sweep");
    FakeProvider fake = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ofMillis(100))
        .deletedPodRetention(Duration.ZERO).build());
    TestProvider provider = new TestProvider(fake);
    VirtualNode first = TestNodes.start(cluster, nodeName, provider, options());
    VirtualNode second = null;
    try {
      V1Pod kept = core.createNamespacedPod(ns, pod(ns, "kept", nodeName)).execute();
      V1Pod doomed = core.createNamespacedPod(ns, pod(ns, "doomed", nodeName)).execute();
      await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "kept")) && "Running".equals(phase(core, ns, "doomed")));
      first.close();

      // while no runtime runs: one pod is force-deleted, and the backend has a pod nobody knows
      core.deleteNamespacedPod("doomed", ns).body(new V1DeleteOptions().gracePeriodSeconds(0L)).execute();
      await().atMost(WAIT).until(() -> read(core, ns, "doomed") == null);
      V1Pod ghost = pod(ns, "ghost", nodeName);
      ghost.getMetadata().uid("00000000-0000-0000-0000-0000000000ff");
      fake.createPod(ghost);
      provider.deletedUids.clear();

      second = TestNodes.start(cluster, nodeName, provider, options());
      // awaitReady returned: the sweep is done
      assertThat(provider.deletedUids).containsExactlyInAnyOrder(doomed.getMetadata().getUid(), ghost.getMetadata().getUid());
      Set<String> left = fake.listPods().stream()
          .filter(p -> !"Failed".equals(p.getStatus().getPhase()) && !"Succeeded".equals(p.getStatus().getPhase()))
          .map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
      assertThat(left).containsExactly(kept.getMetadata().getUid());
      assertThat(phase(core, ns, "kept")).isEqualTo("Running");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
      core.deleteCollectionNamespacedPod(ns).gracePeriodSeconds(0).execute();
      fake.close();
      TestNodes.deleteNode(core, nodeName);
    }
  }
}
