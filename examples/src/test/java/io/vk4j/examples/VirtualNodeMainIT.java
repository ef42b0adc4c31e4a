package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Taint;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@link VirtualNodeMain} on the real control plane: the node it registers carries what the flags
 * say, a pod written like the ACK documentation's is bound by the real scheduler and runs, its log
 * comes back through the API server, and a stop request ends the program with status 0.
 */
@ExtendWith(KubernetesClusterExtension.class)
class VirtualNodeMainIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void podWithTheSeedsSelectorRunsOnTheNodeAndItsLogComesBack(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.loopbackNodeName();
    ShutdownSignal shutdown = new ShutdownSignal();
    StringWriter out = new StringWriter();
    Map<String, String> environment = new HashMap<>(Map.of("VK_NODE_NAME", nodeName, "VKUBELET_POD_IP", nodeName,
        "KUBECONFIG", cluster.kubeconfig().toString(), "VK4J_FAKE_START_DELAY", "0s"));
    // the API server's kubelet client certificate is what lets its log request in
    cluster.kubeletClientCaFile().ifPresent(ca -> environment.put("APISERVER_CA_CERT_LOCATION", ca.toString()));
    CommandLine command = VirtualNodeMain.commandLine(environment, shutdown);
    command.setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
        "--kubelet-port", "0", "--taint-value", "demo", "--pod-sync-workers", "4"));
    try {
      await().atMost(TIMEOUT).until(() -> isReady(core, nodeName));
      V1Node node = core.readNode(nodeName).execute();
      assertThat(node.getMetadata().getLabels()).containsEntry("type", "virtual-kubelet");
      assertThat(node.getSpec().getTaints()).extracting(V1Taint::getKey, V1Taint::getValue, V1Taint::getEffect)
          .contains(org.assertj.core.groups.Tuple.tuple("virtual-kubelet.io/provider", "demo", "NoSchedule"));
      await().atMost(TIMEOUT).until(() -> out.toString().contains("node " + nodeName + " is Ready"));

      String namespace = cluster.createNamespace("vk-main");
      String podName = cluster.uniqueName("nginx");
      core.createNamespacedPod(namespace, new V1Pod()
          .metadata(new V1ObjectMeta().name(podName))
          .spec(new V1PodSpec()
              .addContainersItem(new V1Container().name("nginx").image("nginx").imagePullPolicy("Always"))
              .putNodeSelectorItem("type", "virtual-kubelet")
              .putNodeSelectorItem("kubernetes.io/hostname", nodeName) // this node, not another test's
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
          .execute();

      await().atMost(TIMEOUT).until(() -> {
        V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
        return nodeName.equals(pod.getSpec().getNodeName()) && "Running".equals(pod.getStatus().getPhase());
      });
      assertThat(core.readNamespacedPodLog(podName, namespace).execute())
          .contains("fake container nginx started (image nginx)");
    } finally {
      shutdown.requestStop();
      assertThat(exit.get()).isZero();
      core.deleteNode(nodeName).execute();
    }
    assertThat(out.toString()).contains("stopping node " + nodeName);
  }

  @Test
  void sigtermStopsTheProgramWithStatus0(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.uniqueName("vk-main-sigterm");
    Process process = javaProcess(cluster.kubeconfig(), "--nodename", nodeName, "--kubelet-port", "0");
    try {
      await().atMost(TIMEOUT).until(() -> isReady(core, nodeName));

      process.destroy(); // SIGTERM

      await().atMost(TIMEOUT).until(() -> !process.isAlive());
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
      deleteNodeIfPresent(core, nodeName);
    }
  }

  @Test
  void missingKubeconfigIsAStartupFailureWithStatus1(TestCluster cluster) throws Exception {
    Path kubeconfig = Path.of("/nonexistent/kubeconfig");
    Process process = javaProcess(kubeconfig, "--nodename", cluster.uniqueName("vk-main-fail"));

    await().atMost(TIMEOUT).until(() -> !process.isAlive());

    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(new String(process.getErrorStream().readAllBytes()))
        .contains("cannot start node").contains("kubeconfig /nonexistent/kubeconfig does not exist");
  }

  private static boolean isReady(CoreV1Api core, String nodeName) {
    try {
      V1Node node = core.readNode(nodeName).execute();
      List<V1NodeCondition> conditions = Optional.ofNullable(node.getStatus().getConditions()).orElse(List.of());
      return conditions.stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    } catch (ApiException e) {
      return false;
    }
  }

  private static void deleteNodeIfPresent(CoreV1Api core, String nodeName) throws ApiException {
    try {
      core.deleteNode(nodeName).execute();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** {@code VirtualNodeMain} in its own JVM, with this test's class path. */
  private static Process javaProcess(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        VirtualNodeMain.class.getName(),
        "--kubeconfig", kubeconfig.toString(), "--log-level", "warn"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
