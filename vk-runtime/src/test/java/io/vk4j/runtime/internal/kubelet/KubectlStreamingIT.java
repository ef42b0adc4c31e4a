package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.vk4j.provider.fake.FakeAnnotations;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.server.KeyMaterial;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import io.vk4j.testkit.tls.TestTls;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The machine's kubectl against a virtual node through the real API server, which authenticates to
 * the node with its kubelet client certificate: exec (with and without -i and -t), attach,
 * port-forward and logs -f, over WebSocket (what kubectl tries first) and over SPDY (its fallback,
 * forced with kubectl's own switches); and who is refused, by the API server or by the node.
 */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlStreamingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

  private TestCluster cluster;
  private CoreV1Api core;
  private String nodeName;
  private String namespace;
  private VirtualNode node;
  private String pod;
  private Kubectl kubectl;

  /** kubectl's own transports: its default (WebSocket first) and the SPDY it falls back to. */
  private List<Kubectl> transports() {
    return List.of(kubectl, kubectl.withEnvironment("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
        .withEnvironment("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));
  }

  @BeforeAll
  void startNodeWithARunningPod(TestCluster cluster) throws Exception {
    this.cluster = cluster;
    core = cluster.core();
    nodeName = cluster.loopbackNodeName();
    namespace = cluster.createNamespace("kubectl");
    node = KubeletNodes.start(cluster, nodeName, KubeletApiOptions.builder());
    kubectl = Kubectl.of(cluster.kubeconfig()).withFlags("-n", namespace);
    pod = runningPod("app", Map.of(FakeAnnotations.PORTS, "80=http,7000=echo"), "Always");
  }

  private String runningPod(String prefix, Map<String, String> annotations, String restartPolicy) throws ApiException {
    String name = cluster.uniqueName(prefix);
    KubeletNodes.runningPod(cluster, namespace, nodeName, name, annotations, restartPolicy, List.of("app"));
    return name;
  }

  @AfterAll
  void stopNode() throws ApiException {
    if (node != null) {
      node.close();
      core.deleteNode(nodeName).execute();
    }
  }

  @Test
  void execExitsWithTheCommandsExitCode() {
    for (Kubectl transport : transports()) {
      Kubectl.Result result = transport.run("exec", pod, "--", "sh", "-c", "echo out; exit 3");

      assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
      assertThat(result.out()).isEqualTo("out\n");
      assertThat(result.err()).contains("command terminated with exit code 3");
    }
  }

  @Test
  void execWithStdinPipedInEndsWhenStdinEnds() {
    for (Kubectl transport : transports()) {
      Kubectl.Result result = transport.run("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8),
          "exec", "-i", pod, "--", "cat");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).isEqualTo("line 1\nline 2\n");
    }
  }

  @Test
  void execWithATerminalFollowsItsSize() {
    for (Kubectl transport : transports()) {
      List<String> inTerminal = List.of("script", "-q", "-e", "-c", "stty cols 100 rows 30; echo TTY=$(tty); exec "
          + String.join(" ", transport.command("exec", "-it", pod, "--", "sh")), "/dev/null");
      try (Kubectl.Running shell = transport.start(inTerminal)) {
        await().atMost(TIMEOUT).until(() -> shell.out().contains("/ # "));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
          shell.type("stty size\n");
          return shell.out().contains("30 100");
        });
        String tty = shell.out().replaceAll("(?s).*TTY=(\\S+).*", "$1");
        Kubectl.Running resize = transport.start(List.of("stty", "-F", tty, "cols", "120", "rows", "40"));
        assertThat(resize.waitFor(TIMEOUT)).isZero();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
          shell.type("stty size\n");
          return shell.out().contains("40 120");
        });
        shell.type("exit 5\n");
        assertThat(shell.waitFor(TIMEOUT)).as(shell.out()).isEqualTo(5);
      }
    }
  }

  @Test
  void attachCarriesStdinToTheContainerAndDetachesWhenItEnds() {
    for (Kubectl transport : transports()) {
      Kubectl.Result result = transport.run("hello from stdin\n".getBytes(StandardCharsets.UTF_8),
          "attach", "-i", pod);

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).contains("hello from stdin");
    }
  }

  @Test
  void portForwardCarriesBytesBothWaysOnTwoPorts() throws Exception {
    for (Kubectl transport : transports()) {
      try (Kubectl.Running forward = transport.start("port-forward", "pod/" + pod, ":80", ":7000")) {
        await().atMost(TIMEOUT).until(() -> FORWARDING.matcher(forward.out()).results().count() == 2);
        Map<String, Integer> local = localPorts(forward.out());

        HttpResponse<String> http = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + local.get("80") + "/hello")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(http.body()).isEqualTo("fake pod " + namespace + "/" + pod + " port 80: GET /hello\n");

        byte[] sent = new byte[1 << 20];
        new Random(7).nextBytes(sent);
        try (Socket echo = new Socket("127.0.0.1", local.get("7000"))) {
          echo.setSoTimeout((int) TIMEOUT.toMillis());
          Thread writer = new Thread(() -> {
            try {
              echo.getOutputStream().write(sent);
              echo.shutdownOutput();
            } catch (java.io.IOException e) {
              // the read below fails the test
            }
          });
          writer.start();
          byte[] received = echo.getInputStream().readAllBytes();
          writer.join();
          assertThat(Arrays.equals(received, sent)).as("1 MiB echoed back intact").isTrue();
        }
      }
    }
  }

  private static Map<String, Integer> localPorts(String output) {
    Matcher matcher = FORWARDING.matcher(output);
    Map<String, Integer> ports = new java.util.HashMap<>();
    while (matcher.find()) {
      ports.put(matcher.group(2), Integer.parseInt(matcher.group(1)));
    }
    return ports;
  }

  @Test
  void logsFollowEndsWhenTheContainerExits() throws Exception {
    String exiting = runningPod("exiting", Map.of(FakeAnnotations.LOG, "working\nstill working",
        FakeAnnotations.EXIT_AFTER, "4s"), "Never");

    Kubectl.Result result = kubectl.run("logs", "-f", exiting);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("working\nstill working\n");
  }

  @Test
  void aUserWhoseRbacLacksPodsExecIsRefusedByTheApiServer() {
    Kubectl reader = kubectl.withFlags("--token", tokenOfAPodReader());

    assertThat(reader.run("get", "pod", pod).exitCode()).isZero();
    Kubectl.Result exec = reader.run("exec", pod, "--", "true");
    assertThat(exec.exitCode()).isEqualTo(1);
    assertThat(exec.err()).contains("Forbidden").contains("pods/exec");
  }

  @Test
  void aClientThatBypassesTheApiServerIsRefusedByTheNode() throws Exception {
    int port = node.kubeletApiPort().orElseThrow();
    HttpClient anyServer = HttpClient.newBuilder().sslContext(TestTls.trustingAnyServer(null, List.of())).build();
    URI pods = URI.create("https://" + nodeName + ":" + port + "/pods");
    URI exec = URI.create("https://" + nodeName + ":" + port + "/exec/" + namespace + "/" + pod + "/app?command=true");

    assertThat(send(anyServer, pods, null).statusCode()).as("no credentials").isEqualTo(401);
    assertThat(send(anyServer, exec, null).statusCode()).as("no credentials").isEqualTo(401);
    assertThat(send(anyServer, pods, "made-up-token").statusCode()).as("a made-up token").isEqualTo(401);
    HttpResponse<String> reader = send(anyServer, pods, tokenOfAPodReader());
    assertThat(reader.statusCode()).as("a valid token without nodes/proxy").isEqualTo(403);
    assertThat(reader.body()).contains("user=system:serviceaccount:" + namespace + ":pod-reader")
        .contains("verb=get, resource=nodes, subresource(s)=[proxy]");
    KeyMaterial admin = TestCertificates.authority("system:admin").client("system:admin", "system:masters");
    HttpClient selfSigned = HttpClient.newBuilder()
        .sslContext(TestTls.trustingAnyServer(admin.key(), admin.chain())).build();
    HttpResponse<String> refused = send(selfSigned, pods, null);
    assertThat(refused.statusCode()).as("a self-signed client certificate for system:admin").isEqualTo(401);
  }

  private static HttpResponse<String> send(HttpClient client, URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String readerToken;

  /** A service account that may read pods in the namespace and nothing else, and a token of it. */
  private synchronized String tokenOfAPodReader() {
    if (readerToken == null) {
      for (String[] step : new String[][] {
          {"create", "serviceaccount", "pod-reader"},
          {"create", "role", "pod-reader", "--verb=get,list", "--resource=pods"},
          {"create", "rolebinding", "pod-reader", "--role=pod-reader", "--serviceaccount=" + namespace + ":pod-reader"}}) {
        Kubectl.Result result = kubectl.run(step);
        assertThat(result.exitCode()).as(result.err()).isZero();
      }
      Kubectl.Result token = kubectl.run("create", "token", "pod-reader");
      assertThat(token.exitCode()).as(token.err()).isZero();
      readerToken = token.out().trim();
    }
    return readerToken;
  }
}
