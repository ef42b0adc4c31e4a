package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.vk4j.eci.emulator.EciEmulator;
import io.vk4j.testkit.cluster.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * {@code VirtualNodeMain --provider eci} on the control plane against an in-process ECI emulator (vSwitches
 * {@code vsw-zonea}, {@code vsw-zoneb}), as a user would run it: Ready once created; closing stops it, checks it
 * exited cleanly, deletes its Node and stops the emulator.
 */
final class EciNode implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  final EciEmulator emulator;
  final String nodeName;
  private final CoreV1Api core;
  private final ShutdownSignal shutdown = new ShutdownSignal();
  private final StringWriter out = new StringWriter();
  private final CompletableFuture<Integer> exit;

  EciNode(TestCluster cluster, EciEmulator.Builder emulatorBuilder) {
    this.core = cluster.core();
    this.nodeName = cluster.loopbackNodeName();
    this.emulator = emulatorBuilder.port(0).credentials("ak", "sk").region("cn-hangzhou")
        .groupTransitionDelay(Duration.ofMillis(50)).build().start();
    Map<String, String> environment = new HashMap<>(Map.ofEntries(
        Map.entry("VK_NODE_NAME", nodeName), Map.entry("VKUBELET_POD_IP", nodeName),
        Map.entry("KUBECONFIG", cluster.kubeconfig().toString()),
        Map.entry("ECI_REGION", "cn-hangzhou"), Map.entry("ECI_ACCESS_KEY", "ak"),
        Map.entry("ECI_SECRET_KEY", "sk"), Map.entry("ECI_CLUSTER_ID", cluster.uniqueName("c")),
        Map.entry("ECI_SECURITY_GROUP", "sg-emulator"), Map.entry("ECI_VSWITCH", "vsw-zonea,vsw-zoneb"),
        Map.entry("ECI_ENDPOINT", emulator.endpoint()), Map.entry("ECI_PROTOCOL", "http"),
        Map.entry("ECI_KUBE_PROXY", "false"), Map.entry("ECI_STATUS_POLL_SECONDS", "1")));
    cluster.kubeletClientCaFile().ifPresent(ca -> environment.put("APISERVER_CA_CERT_LOCATION", ca.toString()));
    CommandLine command = VirtualNodeMain.commandLine(environment, shutdown);
    command.setOut(new PrintWriter(out, true));
    exit = CompletableFuture.supplyAsync(() -> command.execute("--provider", "eci", "--kubelet-port", "0"));
    await().atMost(TIMEOUT).until(() -> isReady() || exit.isDone());
    assertThat(exit).as("the node must not stop on its own; output: %s", out).isNotDone();
  }

  /** What VirtualNodeMain printed. */
  String output() {
    return out.toString();
  }

  private boolean isReady() {
    try {
      V1Node node = core.readNode(nodeName).execute();
      return node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    } catch (ApiException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      shutdown.requestStop();
      assertThat(exit.get()).isZero();
      try {
        core.deleteNode(nodeName).execute();
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    } finally {
      emulator.close();
    }
  }
}
