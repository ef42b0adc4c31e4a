package io.vk4j.runtime;

import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.provider.fake.FakeProvider;
import io.vk4j.provider.fake.FakeProviderOptions;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubernetesClusterExtension.class)
class ProfileTmpIT {
  @Test
  void profile(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String ns = cluster.createNamespace("prof");
    String nodeName = cluster.uniqueName("vk-prof");
    FakeProvider fake = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).podCapacity(1000).build());
    VirtualNode node = TestNodes.start(cluster, nodeName, fake, VirtualNodeOptions.builder().build());
    Map<String, Integer> samples = new HashMap<>();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
          if (!e.getKey().getName().contains("pod-worker") && !e.getKey().getName().contains("pod-watch")) continue;
          StackTraceElement[] st = e.getValue();
          StringBuilder sb = new StringBuilder(e.getKey().getName().contains("watch") ? "W " : "K ");
          int n = 0;
          for (StackTraceElement s : st) {
            if (s.getClassName().startsWith("io.vk4j") || n < 2) { sb.append(s.getClassName().replaceAll(".*\\.", "")).append('.').append(s.getMethodName()).append(':').append(s.getLineNumber()).append(" < "); n++; }
            if (n > 6) break;
          }
          synchronized (samples) { samples.merge(sb.toString(), 1, Integer::sum); }
        }
        try { Thread.sleep(20); } catch (InterruptedException ie) { return; }
      }
    });
    sampler.start();
    long start = System.nanoTime();
    ExecutorService creators = Executors.newFixedThreadPool(16);
    for (int i = 0; i < 500; i++) {
      int n = i;
      creators.submit(() -> core.createNamespacedPod(ns, TestNodes.pod(ns, "p-" + n, nodeName)).execute());
    }
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() ->
        core.listNamespacedPod(ns).execute().getItems().stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 500);
    System.out.println("ALL RUNNING after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    sampler.interrupt();
    samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
        .forEach(e -> System.out.println(e.getValue() + "  " + e.getKey()));
    creators.shutdownNow();
    node.close();
    core.deleteCollectionNamespacedPod(ns).gracePeriodSeconds(0).execute();
    fake.close();
    TestNodes.deleteNode(core, nodeName);
  }
}
