package io.vk4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.provider.fake.FakeAnnotations;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streaming through the API server, measured (a documented command, not a test: see
 * docs/virtual-node.md): exec round trips inside one {@code kubectl exec -i} session, whole {@code
 * kubectl exec POD -- true} commands, and port-forward round trips and throughput to the fake's echo
 * port, over kubectl's WebSocket transports and over SPDY. The virtual node (in-memory provider)
 * runs in this JVM; kubectl and the API server run beside it on the same machine.
 *
 * <pre>{@code
 * mvn -B -o -pl examples -am verify -Dtest=StreamingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * cat examples/target/surefire-reports/io.vk4j.examples.bench.StreamingBenchmark-output.txt
 * }</pre>
 */
@ExtendWith(KubernetesClusterExtension.class)
class StreamingBenchmark {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final int ROUND_TRIPS = Integer.getInteger("benchmark.roundTrips", 1000);
  private static final int COMMANDS = Integer.getInteger("benchmark.commands", 20);
  private static final int MEBIBYTES = Integer.getInteger("benchmark.mebibytes", 64);
  private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 7000");

  @Test
  void streamingThroughTheApiServer(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.loopbackNodeName();
    String namespace = cluster.createNamespace("bench-streaming");
    VirtualNode node = VirtualNode.builder()
        .nodeName(nodeName)
        .apiClient(cluster.client())
        .providerFactory(new FakeProviderFactory())
        .environment(Map.of("VKUBELET_POD_IP", nodeName, "VK4J_FAKE_START_DELAY", "0s"))
        .options(VirtualNodeOptions.builder().internalIp(nodeName).kubeletApiPort(0)
            .kubeletApi(KubeletApiOptions.builder().clientCaFile(cluster.kubeletClientCaFile()).build()).build())
        .build();
    try {
      node.start();
      node.awaitReady(TIMEOUT);
      String pod = cluster.uniqueName("bench");
      core.createNamespacedPod(namespace, new V1Pod()
          .metadata(new V1ObjectMeta().name(pod).putAnnotationsItem(FakeAnnotations.PORTS, "7000=echo"))
          .spec(new V1PodSpec().nodeName(nodeName)
              .addContainersItem(new V1Container().name("app").image("busybox"))
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
          .execute();
      await().atMost(TIMEOUT).until(() -> "Running".equals(
          core.readNamespacedPod(pod, namespace).execute().getStatus().getPhase()));
      Kubectl kubectl = Kubectl.of(cluster.kubeconfig()).withFlags("-n", namespace);
      System.out.printf("streaming benchmark: kubectl %s, %d round trips, %d commands, %d MiB each way;"
          + " load average before: %s%n", kubectlVersion(kubectl), ROUND_TRIPS, COMMANDS, MEBIBYTES, loadAverage());
      for (String transport : List.of("websocket", "spdy")) {
        Kubectl client = transport.equals("spdy")
            ? kubectl.withEnvironment("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
                .withEnvironment("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false")
            : kubectl;
        execRoundTrips(client, pod, transport);
        wholeCommands(client, pod, transport);
        portForward(client, pod, transport);
      }
      System.out.printf("load average after: %s%n", loadAverage());
    } finally {
      node.close();
      core.deleteNode(nodeName).execute();
    }
  }

  /** One {@code kubectl exec -i POD -- sh}: a line in, its echo out, timed, again and again. */
  private static void execRoundTrips(Kubectl kubectl, String pod, String transport) throws Exception {
    Process shell = new ProcessBuilder(kubectl.command("exec", "-i", pod, "--", "sh")).redirectErrorStream(true)
        .start();
    try {
      OutputStream in = shell.getOutputStream();
      InputStream out = shell.getInputStream();
      readUntil(out, "/ # ");
      long[] nanos = new long[ROUND_TRIPS];
      for (int i = -ROUND_TRIPS / 10; i < ROUND_TRIPS; i++) { // the first tenth warms up
        String marker = "r" + i;
        long start = System.nanoTime();
        in.write(("echo " + marker + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        readUntil(out, marker + "\n/ # ");
        if (i >= 0) {
          nanos[i] = System.nanoTime() - start;
        }
      }
      in.write("exit\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      report("exec round trip in one session", transport, nanos);
    } finally {
      shell.destroy();
    }
  }

  /** Whole commands, kubectl's start and authentication included. */
  private static void wholeCommands(Kubectl kubectl, String pod, String transport) {
    long[] nanos = new long[COMMANDS];
    kubectl.run("exec", pod, "--", "true");
    for (int i = 0; i < COMMANDS; i++) {
      long start = System.nanoTime();
      Kubectl.Result result = kubectl.run("exec", pod, "--", "true");
      nanos[i] = System.nanoTime() - start;
      assertThat(result.exitCode()).as(result.err()).isZero();
    }
    report("kubectl exec POD -- true", transport, nanos);
  }

  /** One byte out and back through port-forward, then bulk bytes both ways at once. */
  private static void portForward(Kubectl kubectl, String pod, String transport) throws Exception {
    try (Kubectl.Running forward = kubectl.start("port-forward", "pod/" + pod, ":7000")) {
      await().atMost(TIMEOUT).until(() -> FORWARDING.matcher(forward.out()).find());
      Matcher port = FORWARDING.matcher(forward.out());
      assertThat(port.find()).isTrue();
      int local = Integer.parseInt(port.group(1));
      try (Socket socket = new Socket("127.0.0.1", local)) {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long[] nanos = new long[ROUND_TRIPS];
        for (int i = -ROUND_TRIPS / 10; i < ROUND_TRIPS; i++) {
          long start = System.nanoTime();
          out.write('x');
          out.flush();
          if (in.read() != 'x') {
            throw new IOException("the echo broke");
          }
          if (i >= 0) {
            nanos[i] = System.nanoTime() - start;
          }
        }
        report("port-forward 1-byte round trip", transport, nanos);
      }
      for (int run = 0; run < 3; run++) {
        try (Socket socket = new Socket("127.0.0.1", local)) {
          socket.setSoTimeout((int) TIMEOUT.toMillis());
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) 'v');
          long total = (long) MEBIBYTES << 20;
          long start = System.nanoTime();
          Thread writer = new Thread(() -> {
            try {
              OutputStream out = socket.getOutputStream();
              for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
              }
              socket.shutdownOutput();
            } catch (IOException e) {
              // the reader below sees the short count
            }
          });
          writer.start();
          long received = 0;
          InputStream in = socket.getInputStream();
          byte[] buffer = new byte[64 * 1024];
          for (int n = in.read(buffer); n >= 0 && received < total; n = in.read(buffer)) {
            received += n;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          writer.join();
          assertThat(received).isEqualTo(total);
          System.out.printf(Locale.ROOT, "%-32s %-9s run %d: %d MiB each way in %.2f s: %.1f MiB/s each way%n",
              "port-forward echo throughput", transport, run + 1, MEBIBYTES, seconds, MEBIBYTES / seconds);
        }
      }
    }
  }

  private static void readUntil(InputStream in, String text) throws IOException {
    byte[] wanted = text.getBytes(StandardCharsets.US_ASCII);
    int matched = 0;
    while (matched < wanted.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the session ended before '" + text + "'");
      }
      matched = b == wanted[matched] ? matched + 1 : (b == wanted[0] ? 1 : 0);
    }
  }

  private static void report(String what, String transport, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "%-32s %-9s n=%d p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
        transport, sorted.length, ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static String kubectlVersion(Kubectl kubectl) {
    String out = kubectl.run("version", "--client").out();
    return out.lines().findFirst().orElse("?").replace("Client Version: ", "");
  }

  private static String loadAverage() throws IOException {
    return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
  }

}
