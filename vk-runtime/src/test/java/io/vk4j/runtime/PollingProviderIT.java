package io.vk4j.runtime;

import static io.vk4j.runtime.TestNodes.WAIT;
import static io.vk4j.runtime.TestNodes.phase;
import static io.vk4j.runtime.TestNodes.pod;
import static io.vk4j.runtime.TestNodes.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.provider.fake.FakeProvider;
import io.vk4j.provider.fake.FakeProviderOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A provider that does not notify is polled; a pod the backend loses is reported Failed. */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PollingProviderIT {
  private CoreV1Api core;
  private String ns;
  private String nodeName;
  private FakeProvider fake;
  private TestProvider backend;
  private VirtualNode node;

  /** The backend without {@link io.vk4j.api.PodNotifier}: the runtime must poll it. */
  private static final class Silent implements Provider {
    private final TestProvider delegate;

    Silent(TestProvider delegate) {
      this.delegate = delegate;
    }

    @Override public void createPod(V1Pod pod) throws ProviderException { delegate.createPod(pod); }
    @Override public void updatePod(V1Pod pod) throws ProviderException { delegate.updatePod(pod); }
    @Override public void deletePod(V1Pod pod) throws ProviderException { delegate.deletePod(pod); }
    @Override public Optional<V1Pod> getPod(String ns, String name) throws ProviderException {
      return delegate.getPod(ns, name);
    }
    @Override public List<V1Pod> listPods() throws ProviderException { return delegate.listPods(); }
    @Override public void configureNode(V1Node node) { delegate.configureNode(node); }
  }

  @BeforeAll
  void startNode(TestCluster cluster) throws Exception {
    core = cluster.core();
    ns = cluster.createNamespace("polling");
    nodeName = cluster.uniqueName("vk-poll");
    fake = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ofMillis(300)).build());
    backend = new TestProvider(fake);
    node = TestNodes.start(cluster, nodeName, new Silent(backend), TestNodes.fastOptions().build());
  }

  @AfterAll
  void stopNode() throws Exception {
    try {
      core.deleteCollectionNamespacedPod(ns).gracePeriodSeconds(0).execute();
    } finally {
      node.close();
      fake.close();
      TestNodes.deleteNode(core, nodeName);
    }
  }

  @Test
  void statusesArrivePollingAndDeletionCompletes() throws Exception {
    core.createNamespacedPod(ns, pod(ns, "polled", nodeName)).execute();
    await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "polled")));
    core.deleteNamespacedPod("polled", ns).execute();
    await().atMost(WAIT).until(() -> read(core, ns, "polled") == null);
  }

  @Test
  void aPodTheBackendLosesIsReportedFailed() throws Exception {
    core.createNamespacedPod(ns, pod(ns, "lost", nodeName)).execute();
    await().atMost(WAIT).until(() -> "Running".equals(phase(core, ns, "lost")));
    backend.lost.add(ns + "/lost");
    await().atMost(WAIT).until(() -> "Failed".equals(phase(core, ns, "lost")));
    V1Pod failed = read(core, ns, "lost");
    assertThat(failed.getStatus().getReason()).isEqualTo("ProviderPodNotFound");
    assertThat(failed.getStatus().getMessage()).contains("no longer known");
  }
}
