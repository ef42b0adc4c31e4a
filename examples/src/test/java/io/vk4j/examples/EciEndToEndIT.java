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
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.eci.emulator.ContainerGroupSnapshot;
import io.vk4j.eci.emulator.EciEmulator;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code VirtualNodeMain --provider eci} against the in-process ECI emulator on the real control plane:
 * a pod written like the ACK documentation's is bound by the real scheduler, runs with the IP of its
 * container group, and deleting the pod through the API server removes that group.
 */
@ExtendWith(KubernetesClusterExtension.class)
class EciEndToEndIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void podRunsWithTheContainerGroupsIpAndDeletingItRemovesTheGroup(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    String nodeName = cluster.loopbackNodeName();
    ShutdownSignal shutdown = new ShutdownSignal();
    StringWriter out = new StringWriter();
    try (EciEmulator emulator = EciEmulator.builder().port(0).credentials("ak", "sk").region("cn-hangzhou")
        .groupTransitionDelay(Duration.ofMillis(50)).build().start()) {
      CommandLine command = VirtualNodeMain.commandLine(
          Map.ofEntries(
              Map.entry("VK_NODE_NAME", nodeName), Map.entry("VKUBELET_POD_IP", nodeName),
              Map.entry("KUBECONFIG", cluster.kubeconfig().toString()),
              Map.entry("ECI_REGION", "cn-hangzhou"), Map.entry("ECI_ACCESS_KEY", "ak"),
              Map.entry("ECI_SECRET_KEY", "sk"), Map.entry("ECI_CLUSTER_ID", cluster.uniqueName("c")),
              Map.entry("ECI_SECURITY_GROUP", "sg-emulator"), Map.entry("ECI_VSWITCH", "vsw-zonea,vsw-zoneb"),
              Map.entry("ECI_ENDPOINT", emulator.endpoint()), Map.entry("ECI_PROTOCOL", "http"),
              Map.entry("ECI_KUBE_PROXY", "false"), Map.entry("ECI_STATUS_POLL_SECONDS", "1")),
          shutdown);
      command.setOut(new PrintWriter(out, true));
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
          "--provider", "eci", "--kubelet-port", "0"));
      try {
        await().atMost(TIMEOUT).until(() -> isReady(core, nodeName) || exit.isDone());
        assertThat(exit).as("the node must not stop on its own; output: %s", out).isNotDone();

        String namespace = cluster.createNamespace("vk-eci-e2e"); // deleted by the extension
        String podName = cluster.uniqueName("nginx");
        V1Pod created = core.createNamespacedPod(namespace, new V1Pod()
            .metadata(new V1ObjectMeta().name(podName))
            .spec(new V1PodSpec()
                .addContainersItem(new V1Container().name("nginx").image("nginx"))
                .putNodeSelectorItem("type", "virtual-kubelet")
                .putNodeSelectorItem("kubernetes.io/hostname", nodeName) // this node, not another test's
                .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
            .execute();
        String uid = created.getMetadata().getUid();
        assertThat(created.getSpec().getNodeName()).as("bound by the scheduler, not by us").isNull();

        await().atMost(TIMEOUT).until(() -> {
          V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
          return nodeName.equals(pod.getSpec().getNodeName()) && "Running".equals(pod.getStatus().getPhase())
              && pod.getStatus().getPodIP() != null;
        });
        ContainerGroupSnapshot group = groupOf(emulator, uid).orElseThrow();
        assertThat(group.status()).isEqualTo("Running");
        assertThat(group.intranetIp()).isPresent();
        V1Pod running = core.readNamespacedPod(podName, namespace).execute();
        assertThat(running.getStatus().getPodIP()).isEqualTo(group.intranetIp().get());

        core.deleteNamespacedPod(podName, namespace).execute();

        await().atMost(TIMEOUT).until(() -> groupOf(emulator, uid).isEmpty());
        await().atMost(TIMEOUT).until(() -> isGone(core, podName, namespace));
        assertThat(emulator.containerGroups()).noneMatch(g -> g.name().contains(podName));
      } finally {
        shutdown.requestStop();
        assertThat(exit.get()).isZero();
        deleteNodeIfPresent(core, nodeName);
      }
    }
    assertThat(out.toString()).contains("stopping node " + nodeName);
  }

  /** The emulator's group for the pod with this UID (the provider tags each group with it). */
  private static Optional<ContainerGroupSnapshot> groupOf(EciEmulator emulator, String uid) {
    return emulator.containerGroups().stream().filter(g -> uid.equals(g.tags().get("vk4j.io/uid"))).findFirst();
  }

  private static boolean isGone(CoreV1Api core, String podName, String namespace) throws ApiException {
    try {
      core.readNamespacedPod(podName, namespace).execute();
      return false;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return true;
      }
      throw e;
    }
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
}
