package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.vk4j.runtime.internal.queue.TokenBucket;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesClusterExtension.class)
class EventRecorderIT {

  @Test
  void repeatsAreAggregatedIntoOneEventWithACount(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("events");
    V1Pod pod = core.createNamespacedPod(ns, new V1Pod().metadata(new V1ObjectMeta().name("noisy"))
        // no token to mount: the namespace's token may not exist yet
        .spec(new V1PodSpec().nodeName("no-such-node").automountServiceAccountToken(false)
            .containers(List.of(new V1Container().name("c").image("x")))))
        .execute();
    try (EventRecorder recorder = EventRecorder.create(cluster.client(), "vk4j", "test-node", EventRecorder.Limits.unlimited(100),
        new TokenBucket(100, 100), java.time.Clock.systemUTC())) {
      recorder.warning(pod, "ProviderCreateFailed", "backend unavailable");
      recorder.warning(pod, "ProviderCreateFailed", "backend unavailable");
      recorder.warning(pod, "ProviderCreateFailed", "backend unavailable");
      recorder.normal(pod, "ProviderCreated", "Created in provider test");
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        List<CoreV1Event> events = core.listNamespacedEvent(ns)
            .fieldSelector("involvedObject.uid=" + pod.getMetadata().getUid()).execute().getItems();
        assertThat(events).filteredOn(e -> "ProviderCreateFailed".equals(e.getReason())).singleElement()
            .satisfies(e -> {
              assertThat(e.getCount()).isEqualTo(3);
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getSource().getHost()).isEqualTo("test-node");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("noisy");
            });
        assertThat(events).filteredOn(e -> "ProviderCreated".equals(e.getReason())).singleElement()
            .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
      });
    } finally {
      core.deleteNamespacedPod("noisy", ns).gracePeriodSeconds(0).execute();
    }
  }

  @Test
  void aPodRecordsAtMostABurstOfEvents(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("events-burst");
    V1Pod pod = core.createNamespacedPod(ns, new V1Pod().metadata(new V1ObjectMeta().name("chatty"))
        // no token to mount: the namespace's token may not exist yet
        .spec(new V1PodSpec().nodeName("no-such-node").automountServiceAccountToken(false)
            .containers(List.of(new V1Container().name("c").image("x")))))
        .execute();
    try (EventRecorder recorder = EventRecorder.create(cluster.client(), "vk4j", "test-node", EventRecorder.Limits.unlimited(100),
        new TokenBucket(100, 100), java.time.Clock.systemUTC())) {
      for (int i = 0; i < 40; i++) {
        recorder.normal(pod, "Step", "step " + i);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> recorder.backlog() == 0);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(core.listNamespacedEvent(ns)
          .fieldSelector("involvedObject.uid=" + pod.getMetadata().getUid()).execute().getItems()).hasSize(25));
    } finally {
      core.deleteNamespacedPod("chatty", ns).gracePeriodSeconds(0).execute();
    }
  }
}
