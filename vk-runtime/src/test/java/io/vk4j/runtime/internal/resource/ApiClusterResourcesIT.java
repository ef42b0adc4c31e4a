package io.vk4j.runtime.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import java.nio.charset.StandardCharsets;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesClusterExtension.class)
class ApiClusterResourcesIT {

  @Test
  void readsSecretsConfigMapsTokensAndTheRootCaOnDemand(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("resources");
    ApiClusterResources resources = ApiClusterResources.create(cluster.client(), Duration.ofMillis(1), Duration.ofMillis(1), 16);
    assertThat(resources.secret(ns, "db")).isEmpty();
    core.createNamespacedSecret(ns, new V1Secret().metadata(new V1ObjectMeta().name("db"))
        .stringData(Map.of("password", "hunter2"))).execute();
    core.createNamespacedConfigMap(ns, new V1ConfigMap().metadata(new V1ObjectMeta().name("cfg"))
        .data(Map.of("mode", "fast"))).execute();
    await().atMost(Duration.ofSeconds(60)).until(() -> resources.secret(ns, "db").isPresent());
    assertThat(new String(resources.secret(ns, "db").get().getData().get("password"), StandardCharsets.UTF_8))
        .isEqualTo("hunter2");
    assertThat(resources.configMap(ns, "cfg")).hasValueSatisfying(c -> assertThat(c.getData()).containsEntry("mode", "fast"));
    assertThat(resources.service("default", "kubernetes")).isPresent();

    V1Pod pod = core.createNamespacedPod(ns, new V1Pod().metadata(new V1ObjectMeta().name("token-owner"))
        .spec(new V1PodSpec().nodeName("no-such-node").containers(List.of(new V1Container().name("c").image("x")))))
        .execute();
    try {
      String token = resources.serviceAccountToken(pod, List.of(), Duration.ofHours(1));
      assertThat(token.split("\\.")).hasSize(3); // a JWT
      // the controller manager publishes kube-root-ca.crt (with an empty ca.crt when it has no root CA file)
      await().atMost(Duration.ofSeconds(60)).until(() -> resources.configMap(ns, "kube-root-ca.crt").isPresent());
      String published = resources.configMap(ns, "kube-root-ca.crt").get().getData().get("ca.crt");
      if (published == null || published.isBlank()) {
        assertThat(resources.rootCaCertificate(ns)).isEmpty();
      } else {
        assertThat(resources.rootCaCertificate(ns)).contains(published);
      }
    } finally {
      core.deleteNamespacedPod("token-owner", ns).gracePeriodSeconds(0).execute();
    }
  }
}
