package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Namespace labels on a real API server: the GET fallback, then the watch. */
@ExtendWith(KubernetesClusterExtension.class)
class NamespaceCacheIT {

  private static long inSeconds(int seconds) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
  }

  @Test
  void readsUnknownNamespacesOnceThenFollowsTheWatch(TestCluster cluster) throws Exception {
    String namespace = cluster.createNamespace("vk-webhook-ns");
    label(cluster, namespace, "enabled");

    try (NamespaceCache cache = new NamespaceCache(cluster.client())) {
      // not started: nothing watched, so the labels come from one GET
      assertThat(cache.synced()).isFalse();
      assertThat(cache.watchedLabels(namespace)).isEmpty();
      assertThat(cache.cachedLabelsOf(namespace)).as("unknown yet: a review must wait for a read").isEmpty();
      assertThat(cache.labelsOf(namespace, inSeconds(30)))
          .hasValueSatisfying(labels -> assertThat(labels).containsEntry("virtual-node-affinity-injection", "enabled"));
      assertThat(cache.labelsOf(cluster.uniqueName("missing"), inSeconds(30))).isEmpty();
      assertThat(cache.labelsOf(namespace, System.nanoTime() - 1)).as("remembered, no GET needed")
          .hasValueSatisfying(labels -> assertThat(labels).containsEntry("virtual-node-affinity-injection", "enabled"));
      assertThat(cache.cachedLabelsOf(namespace)).as("at hand: a review needs no wait")
          .hasValueSatisfying(labels -> assertThat(labels).containsEntry("virtual-node-affinity-injection", "enabled"));

      cache.start();
      await("namespace informer synced").atMost(Duration.ofSeconds(60)).until(cache::synced);
      label(cluster, namespace, "disabled");
      await("label change seen by the watch").atMost(Duration.ofSeconds(60))
          .until(() -> cache.watchedLabels(namespace)
              .map(labels -> "disabled".equals(labels.get("virtual-node-affinity-injection"))).orElse(false));
      // the watch wins over the remembered GET
      assertThat(cache.labelsOf(namespace, inSeconds(30)))
          .hasValueSatisfying(labels -> assertThat(labels).containsEntry("virtual-node-affinity-injection", "disabled"));
      assertThat(cache.cachedLabelsOf(namespace))
          .hasValueSatisfying(labels -> assertThat(labels).containsEntry("virtual-node-affinity-injection", "disabled"));
    }
  }

  private static void label(TestCluster cluster, String namespace, String value) throws Exception {
    String patch = "{\"metadata\":{\"labels\":" + new com.google.gson.Gson().toJson(
        Map.of("virtual-node-affinity-injection", value)) + "}}";
    var client = cluster.client();
    var core = new io.kubernetes.client.openapi.apis.CoreV1Api(client);
    PatchUtils.patch(V1Namespace.class, () -> core.patchNamespace(namespace, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
  }
}
