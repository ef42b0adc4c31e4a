package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What 1,000 connections that never finish a request do to a node's kubelet API: idle TCP
 * connections, half-sent TLS handshakes, and handshaken connections with half a request. None
 * costs a thread, all are closed within the handshake, request and idle limits, and {@code kubectl
 * logs} keeps working meanwhile. The figures are printed for the documentation.
 */
@ExtendWith(KubernetesClusterExtension.class)
class KubeletAbuseIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);
  private static final Duration IDLE_LIMIT = Duration.ofSeconds(20);
  private static final int EACH = 250;

  @Test
  void stalledConnectionsHoldNoThreadAndAreClosedWithinTheLimits(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.loopbackNodeName();
    String namespace = cluster.createNamespace("abuse");
    VirtualNode node = KubeletNodes.start(cluster, nodeName, KubeletApiOptions.builder()
        .requestTimeout(REQUEST_LIMIT).idleTimeout(IDLE_LIMIT).maxConnections(4 * EACH + 100));
    try {
      String pod = cluster.uniqueName("logs");
      KubeletNodes.runningPod(cluster, namespace, nodeName, pod, Map.of(), "Always", List.of("app"));
      Kubectl kubectl = Kubectl.of(cluster.kubeconfig()).withFlags("-n", namespace);
      assertThat(kubectl.run("logs", pod).exitCode()).isZero();
      int port = node.kubeletApiPort().orElseThrow();

      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      long rssBefore = rssKib();
      long retainedBefore = retainedBytes();
      Kubectl.Running attacker = kubectl.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), AbuseClient.class.getName(), nodeName,
          Integer.toString(port), Integer.toString(EACH)));
      try (attacker) {
        await().atMost(TIMEOUT).until(() -> attacker.out().matches("(?s).*OPEN \\d+ \\S+ \\d+\n.*") || !attacker.isAlive());
        assertThat(attacker.out()).as(attacker.err()).contains("OPEN " + 4 * EACH);
        int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
        long rssDuring = rssKib();
        long retainedDuring = retainedBytes();

        Kubectl.Result logs = kubectl.run("logs", pod);
        assertThat(logs.exitCode()).as("kubectl logs while the connections are open: %s", logs.err()).isZero();
        assertThat(logs.out()).contains("fake container app started");

        assertThat(attacker.waitFor(TIMEOUT)).as(attacker.err()).isZero();
        double openSeconds = Double.parseDouble(attacker.out().replaceAll("(?s).*OPEN \\d+ (\\S+) .*", "$1"));
        String atOnce = attacker.out().replaceAll("(?s).*OPEN \\d+ \\S+ (\\d+).*", "$1");
        double closedSeconds = Double.parseDouble(attacker.out().replaceAll("(?s).*CLOSED (\\S+).*", "$1"));
        System.out.printf("kubelet API abuse: %d connections (idle TCP, 4 bytes of a ClientHello, handshaken and"
            + " idle, half a request) opened in %.1f s, %s of them open at that moment; node JVM threads %d before,"
            + " %d with them open; node JVM RSS %d MiB before, %d MiB with them open; heap and direct memory"
            + " in use after a GC %d MiB before, %d MiB with them open (%d KiB per open connection); every one"
            + " closed by the node %.1f s after the first opened (limits: handshake and request %d s, idle %d s)%n",
            4 * EACH, openSeconds, atOnce, threadsBefore, threadsDuring, rssBefore / 1024, rssDuring / 1024,
            retainedBefore >> 20, retainedDuring >> 20, (retainedDuring - retainedBefore) / 1024 / Math.max(1,
                Integer.parseInt(atOnce)), closedSeconds, REQUEST_LIMIT.toSeconds(), IDLE_LIMIT.toSeconds());
        assertThat(threadsDuring - threadsBefore).as("threads added by %d stalled connections", 4 * EACH)
            .isLessThan(20);
        assertThat(closedSeconds).as("every stalled connection closed by the node in time")
            .isLessThan(openSeconds + IDLE_LIMIT.toSeconds() + 10);
      }
    } finally {
      node.close();
      core.deleteNode(nodeName).execute();
    }
  }

  /** Heap in use after a collection, plus Netty's direct buffers: what the connections keep. */
  private static long retainedBytes() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
        + io.netty.util.internal.PlatformDependent.usedDirectMemory();
  }

  /** The resident set of this JVM, from /proc. */
  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
