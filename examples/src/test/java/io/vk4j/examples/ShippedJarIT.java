package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executable jar exactly as the build ships it ({@code java -jar vk4j-virtual-node.jar}, the
 * StatefulSet's JVM options, its class-data archive), not the test class path: a dependency missing
 * from the jar fails here, and so does an archive that does not map ({@code -Xshare:on}).
 * Failsafe runs it after {@code package}, so the jar is the one just built.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ShippedJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Path JAR = Path.of("target", "vk4j-virtual-node.jar").toAbsolutePath();
  private static final Path ARCHIVE = Path.of("target", "vk4j-virtual-node.jsa").toAbsolutePath();

  @Test
  void theJarRunsANodeThatKubectlExecLogsAndMetricsReach(TestCluster cluster) throws Exception {
    assertThat(JAR).as("built by mvn package").isRegularFile();
    CoreV1Api core = cluster.core();
    String nodeName = cluster.loopbackNodeName();
    String namespace = cluster.createNamespace("jar");
    Path log = Path.of("target", "node-logs", "shipped-jar.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m",
        "-XX:SharedArchiveFile=" + ARCHIVE, "-Xshare:on", "-jar", JAR.toString(),
        "--provider", "fake", "--nodename", nodeName, "--kubelet-port", "0",
        "--kubeconfig", cluster.kubeconfig().toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().put("VKUBELET_POD_IP", nodeName);
    builder.environment().put("VK4J_FAKE_START_DELAY", "0s");
    cluster.kubeletClientCaFile().ifPresent(ca -> builder.environment().put("APISERVER_CA_CERT_LOCATION", ca.toString()));
    Process node = builder.start();
    Kubectl kubectl = Kubectl.of(cluster.kubeconfig()).withFlags("-n", namespace);
    try {
      await().atMost(TIMEOUT).until(() -> !node.isAlive() || isReady(core, nodeName));
      assertThat(node.isAlive()).as("the jar is running; its output:\n%s", Files.readString(log)).isTrue();

      kubectl.run(pod(nodeName).getBytes(StandardCharsets.UTF_8), "apply", "-f", "-").succeeded();
      await().atMost(TIMEOUT).until(() -> "Running".equals(phase(core, namespace)));

      assertThat(kubectl.run("exec", "app", "--", "sh", "-c", "echo from the jar").succeeded())
          .isEqualTo("from the jar\n");
      kubectl.run("logs", "app").succeeded();
      assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/" + nodeName + "/proxy/metrics").succeeded())
          .contains("vk4j_pods{");

      node.destroy(); // SIGTERM
      assertThat(node.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(node.exitValue()).as(Files.readString(log)).isZero();
    } finally {
      node.destroyForcibly();
      try {
        core.deleteNode(nodeName).execute();
      } catch (ApiException e) {
        // already gone
      }
    }
  }

  private static String pod(String nodeName) {
    return String.join("\n",
        "apiVersion: v1",
        "kind: Pod",
        "metadata: {name: app}",
        "spec:",
        "  nodeName: " + nodeName,
        "  automountServiceAccountToken: false",
        "  tolerations: [{key: virtual-kubelet.io/provider, operator: Exists}]",
        "  containers: [{name: app, image: nginx}]",
        "");
  }

  private static boolean isReady(CoreV1Api core, String nodeName) {
    try {
      V1Node node = core.readNode(nodeName).execute();
      return node.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    } catch (ApiException | NullPointerException e) {
      return false;
    }
  }

  private static String phase(CoreV1Api core, String namespace) {
    try {
      V1Pod pod = core.readNamespacedPod("app", namespace).execute();
      return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    } catch (ApiException e) {
      return null;
    }
  }
}
