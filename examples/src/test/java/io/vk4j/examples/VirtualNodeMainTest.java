package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.vk4j.runtime.KubeletApiOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags, environment and exit codes, without a cluster. */
class VirtualNodeMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private NodeSettings settings(Map<String, String> environment, String... args) {
    CommandLine commandLine = VirtualNodeMain.commandLine(environment, null);
    commandLine.parseArgs(args);
    return commandLine.<VirtualNodeMain>getCommand().settings();
  }

  private int execute(Map<String, String> environment, String... args) {
    CommandLine commandLine = VirtualNodeMain.commandLine(environment, null);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void defaultsMatchUpstream() {
    NodeSettings settings = settings(Map.of("VK_NODE_NAME", "vk-1"));

    assertThat(settings.nodeName()).isEqualTo("vk-1");
    assertThat(settings.providerName()).isEqualTo("fake");
    assertThat(settings.providerConfig()).isEmpty();
    assertThat(settings.podSyncWorkers()).isEqualTo(10);
    assertThat(settings.fullResyncPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.taintEnabled()).isTrue();
    assertThat(settings.taintKey()).isEqualTo("virtual-kubelet.io/provider");
    assertThat(settings.taintValue()).isEqualTo("fake");
    assertThat(settings.taintEffect()).isEqualTo("NoSchedule");
    assertThat(settings.kubeletPort()).isEqualTo(10250);
    assertThat(settings.internalIp()).isEmpty();
    assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void theEciProvidersNodesCarryAcksTaintValue() {
    // ACK's docs tolerate virtual-kubelet.io/provider=alibabacloud (operator Equal)
    assertThat(settings(Map.of("VK_NODE_NAME", "vk-1"), "--provider", "eci").taintValue()).isEqualTo("alibabacloud");
    assertThat(settings(Map.of("VK_NODE_NAME", "vk-1"), "--provider", "eci", "--taint-value", "eci").taintValue())
        .isEqualTo("eci");
  }

  @Test
  void environmentGivesTheDefaultsUpstreamReadsFromIt(@TempDir Path dir) throws Exception {
    Path kubeconfig = Files.writeString(dir.resolve("config"), "");
    NodeSettings settings = settings(Map.of(
        "VK_NODE_NAME", "virtual-node-eci-3",
        "KUBECONFIG", kubeconfig + ":/some/other/config",
        "KUBELET_PORT", "10255",
        "VKUBELET_POD_IP", "10.1.2.3",
        "VKUBELET_TAINT_KEY", "example.com/virtual",
        "VKUBELET_TAINT_VALUE", "eci",
        "VKUBELET_TAINT_EFFECT", "NoExecute"));

    assertThat(settings.nodeName()).isEqualTo("virtual-node-eci-3");
    assertThat(settings.kubeconfig()).contains(kubeconfig);
    assertThat(settings.kubeletPort()).isEqualTo(10255);
    assertThat(settings.internalIp()).contains("10.1.2.3");
    assertThat(settings.taintKey()).isEqualTo("example.com/virtual");
    assertThat(settings.taintValue()).isEqualTo("eci");
    assertThat(settings.taintEffect()).isEqualTo("NoExecute");
  }

  @Test
  void flagsWinOverTheEnvironment(@TempDir Path dir) throws Exception {
    Path providerConfig = Files.writeString(dir.resolve("fake.properties"), "startDelay=0s\n");
    NodeSettings settings = settings(
        Map.of("VK_NODE_NAME", "from-env", "KUBELET_PORT", "10255", "VKUBELET_TAINT_EFFECT", "NoExecute"),
        "--nodename", "from-flag", "--provider-config", providerConfig.toString(),
        "--kubeconfig", "/etc/vk/kubeconfig", "--pod-sync-workers", "32", "--full-resync-period", "90s",
        "--disable-taint", "--taint-effect", "PreferNoSchedule", "--kubelet-port", "0",
        "--internal-ip", "192.168.0.9", "--startup-timeout", "5m", "--event-qps", "0", "--event-burst", "3");

    assertThat(settings.nodeName()).isEqualTo("from-flag");
    assertThat(settings.providerConfig()).contains(providerConfig);
    assertThat(settings.kubeconfig()).contains(Path.of("/etc/vk/kubeconfig"));
    assertThat(settings.podSyncWorkers()).isEqualTo(32);
    assertThat(settings.fullResyncPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.taintEnabled()).isFalse();
    assertThat(settings.taintEffect()).isEqualTo("PreferNoSchedule");
    assertThat(settings.kubeletPort()).isZero();
    assertThat(settings.internalIp()).contains("192.168.0.9");
    assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.events()).isEqualTo(new NodeSettings.Events(true, 0, 3));
  }

  @Test
  void podEventsAreSentAsFastAsTheKubeletsDefaultsAllow() throws Exception {
    assertThat(settings(Map.of("VK_NODE_NAME", "vk-1")).events()).isEqualTo(new NodeSettings.Events(true, 5, 10));
  }

  @Test
  void kubeletApiCertificatesAndAuthenticationComeFromFlagsOrTheUpstreamVariables(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("tls.crt"), "");
    Path key = Files.writeString(dir.resolve("tls.key"), "");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "");

    KubeletApiOptions fromEnvironment = settings(Map.of("APISERVER_CERT_LOCATION", cert.toString(),
        "APISERVER_KEY_LOCATION", key.toString(), "APISERVER_CA_CERT_LOCATION", ca.toString())).kubeletApi();
    assertThat(fromEnvironment.tlsCertFile()).contains(cert);
    assertThat(fromEnvironment.tlsPrivateKeyFile()).contains(key);
    assertThat(fromEnvironment.clientCaFile()).contains(ca);
    assertThat(fromEnvironment.anonymousAuth()).isFalse();

    KubeletApiOptions fromFlags = settings(Map.of("APISERVER_CA_CERT_LOCATION", "/nowhere"),
        "--client-ca-file", ca.toString(), "--anonymous-auth").kubeletApi();
    assertThat(fromFlags.clientCaFile()).contains(ca);
    assertThat(fromFlags.tlsCertFile()).isEmpty();
    assertThat(fromFlags.anonymousAuth()).isTrue();
    assertThat(settings(Map.of(), "--anonymous-auth=false").kubeletApi().anonymousAuth()).isFalse();

    assertThat(execute(Map.of(), "--tls-cert-file", cert.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert-file and --tls-private-key-file");
    assertThat(execute(Map.of("APISERVER_CA_CERT_LOCATION", "/nowhere/ca.crt"))).isEqualTo(2);
    assertThat(err.toString()).contains("$APISERVER_CA_CERT_LOCATION /nowhere/ca.crt is not a readable file");
  }

  @Test
  void nodeNameFallsBackToTheHostNameInLowerCase() {
    NodeSettings settings = settings(Map.of());

    assertThat(settings.nodeName()).isNotBlank().isEqualTo(settings.nodeName().toLowerCase());
  }

  @Test
  void kubeconfigFallsBackToTheStandardFileOrInCluster(@TempDir Path home) throws Exception {
    assertThat(KubeClients.kubeconfigPath(null, home)).isEqualTo(Optional.empty());
    Path standard = home.resolve(".kube/config");
    Files.createDirectories(standard.getParent());
    Files.writeString(standard, "");
    assertThat(KubeClients.kubeconfigPath("", home)).contains(standard);
    assertThat(KubeClients.kubeconfigPath("/x/y", home)).contains(Path.of("/x/y"));
  }

  @Test
  void apiServerTlsOffersTheJvmsCipherOrderNotOkHttps() {
    okhttp3.ConnectionSpec spec = KubeClients.modernTls(new String[] {"TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_NULL_SHA256"});

    // OkHttp's own order puts AES-GCM first; a suite OkHttp's modern TLS leaves out stays out
    assertThat(spec.cipherSuites()).extracting(okhttp3.CipherSuite::javaName)
        .containsExactly("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
    assertThat(spec.tlsVersions()).isEqualTo(okhttp3.ConnectionSpec.MODERN_TLS.tlsVersions());
  }

  @Test
  void helpListsTheFlagsAndTheProviders() {
    assertThat(execute(Map.of(), "--help")).isZero();

    assertThat(out.toString()).contains("--nodename", "--provider", "--provider-config", "--kubeconfig",
        "--pod-sync-workers", "--full-resync-period", "--disable-taint", "--taint-key", "--taint-value",
        "--taint-effect", "--kubelet-port", "--tls-cert-file", "--tls-private-key-file", "--client-ca-file",
        "--anonymous-auth", "--internal-ip", "--log-level", "--startup-timeout", "--version",
        "Providers:", "fake ");
  }

  @Test
  void versionNamesTheBuild() {
    assertThat(execute(Map.of(), "--version")).isZero();

    assertThat(out.toString()).startsWith("vk4j-virtual-node 0.1.0");
  }

  @Test
  void unknownProviderIsAUsageErrorListingTheAvailableOnes() {
    int status = execute(Map.of("VK_NODE_NAME", "vk-1"), "--provider", "nope");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("no provider named 'nope'; available: ").contains("fake")
        .contains("--help");
  }

  @Test
  void badFlagsExitWith2AndOneClearMessage() {
    Map<String, String> env = Map.of("VK_NODE_NAME", "vk-1");
    assertThat(execute(env, "--no-such-flag")).isEqualTo(2);
    assertThat(execute(env, "--pod-sync-workers", "0")).isEqualTo(2);
    assertThat(execute(env, "--pod-sync-workers", "many")).isEqualTo(2);
    assertThat(execute(env, "--full-resync-period", "1x")).isEqualTo(2);
    assertThat(execute(env, "--startup-timeout", "0s")).isEqualTo(2);
    assertThat(execute(env, "--taint-effect", "Sometimes")).isEqualTo(2);
    assertThat(execute(env, "--kubelet-port", "70000")).isEqualTo(2);
    assertThat(execute(env, "--log-level", "loud")).isEqualTo(2);
    assertThat(execute(env, "--event-qps", "-1")).isEqualTo(2);
    assertThat(execute(env, "--provider-config", "/no/such/file")).isEqualTo(2);
    assertThat(execute(Map.of("VK_NODE_NAME", "Bad_Name"))).isEqualTo(2);
    assertThat(execute(Map.of("VK_NODE_NAME", "vk-1", "KUBELET_PORT", "ten"))).isEqualTo(2);

    assertThat(err.toString())
        .contains("--pod-sync-workers must be at least 1, not 0")
        .contains("--full-resync-period: not a duration: '1x'")
        .contains("--startup-timeout: must be positive")
        .contains("taint effect 'Sometimes' is not one of NoSchedule, PreferNoSchedule, NoExecute")
        .contains("kubelet port 70000 is not between 0 and 65535")
        .contains("--log-level 'loud' is not one of")
        .contains("--event-qps must be at least 0 and --event-burst at least 1, not -1.0 and 10")
        .contains("--provider-config /no/such/file is not a readable file")
        .contains("node name 'Bad_Name' is not a valid DNS-1123 subdomain")
        .contains("$KUBELET_PORT 'ten' is not a port number");
  }

  @Test
  void missingKubeconfigIsAStartupFailure() {
    int status = execute(Map.of("VK_NODE_NAME", "vk-1"), "--kubeconfig", "/no/such/kubeconfig");

    assertThat(status).isEqualTo(1);
    assertThat(err.toString()).contains("cannot start node vk-1: kubeconfig /no/such/kubeconfig does not exist");
  }
}
