package io.vk4j.examples;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.eci.emulator.EciEmulator;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ECI API pressure when no zone has stock: {@code VirtualNodeMain --provider eci} on the control plane
 * against the ECI emulator with both zones out of stock, 20 pods bound by the scheduler, 30 s. Counts the
 * {@code CreateContainerGroup} calls the emulator received and the Events (with their counts) the node wrote.
 * A benchmark, not a test (its name matches no test pattern); run it with
 *
 * <pre>
 * mvn -B -o -pl examples -am verify -Dtest=EciNoStockBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * cat examples/target/eci-no-stock.txt
 * </pre>
 */
@ExtendWith(KubernetesClusterExtension.class)
class EciNoStockBenchmark {
  private static final int PODS = Integer.getInteger("vk4j.benchmark.pods", 20);
  private static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("vk4j.benchmark.seconds", 30));

  @Test
  void createCallsPerPodWithoutStock(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    try (EciNode node = new EciNode(cluster, EciEmulator.builder()
        .vSwitch("vsw-zonea", "cn-hangzhou-a", "10.1.0.0/16").vSwitch("vsw-zoneb", "cn-hangzhou-b", "10.2.0.0/16"))) {
      EciEmulator emulator = node.emulator;
      String nodeName = node.nodeName;
      emulator.faults().noStock("cn-hangzhou-a").noStock("cn-hangzhou-b");
      emulator.resetCallCounts();

      String namespace = cluster.createNamespace("vk-eci-nostock");
      for (int i = 0; i < PODS; i++) {
        core.createNamespacedPod(namespace, new V1Pod()
            .metadata(new V1ObjectMeta().name("web-" + i))
            .spec(new V1PodSpec()
                .addContainersItem(new V1Container().name("web").image("nginx"))
                .putNodeSelectorItem("kubernetes.io/hostname", nodeName)
                .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
            .execute();
      }
      // the measured window: the benchmark only counts what happens in it
      await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(5)).until(() -> true);
      long creates = emulator.callCount("CreateContainerGroup");
      Map<String, Integer> events = new TreeMap<>();
      for (CoreV1Event event : core.listNamespacedEvent(namespace).execute().getItems()) {
        if ("Warning".equals(event.getType())) {
          events.merge(event.getReason(), Optional.ofNullable(event.getCount()).orElse(1), Integer::sum);
        }
      }
      String report = String.format("ECI no stock in either zone, %d pods, %d s: %d CreateContainerGroup calls"
          + " (%.2f per pod); Warning events by reason (counts summed): %s; all ECI calls: %s%n",
          PODS, WINDOW.toSeconds(), creates, creates / (double) PODS, events, emulator.callCounts());
      System.out.print(report);
      Files.writeString(Path.of("target", "eci-no-stock.txt"), report);
    }
  }
}
