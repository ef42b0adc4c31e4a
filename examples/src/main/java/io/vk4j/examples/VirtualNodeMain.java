package io.vk4j.examples;

import io.kubernetes.client.openapi.ApiClient;
import io.vk4j.api.GoDuration;
import io.vk4j.api.ProviderFactory;
import io.vk4j.api.Providers;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.runtime.json.LeanJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs one virtual node from the command line, with the flags upstream virtual-kubelet users know.
 * Exit status: 0 after a clean stop (Ctrl-C, SIGTERM), 1 when the node cannot start, 2 for bad flags.
 */
@Command(
    name = "vk4j-virtual-node",
    mixinStandardHelpOptions = true,
    versionProvider = VirtualNodeMain.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Registers a virtual node with a Kubernetes API server and runs the pods bound to it"
        + " with a provider.%n")
public final class VirtualNodeMain implements Callable<Integer> {
  static final String NAME = "vk4j-virtual-node";
  private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  /** The cluster CA of the in-cluster service account, which signs the API server's kubelet client certificate in most clusters. */
  static final Path IN_CLUSTER_CA = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");

  private final Map<String, String> environment;
  private final ShutdownSignal shutdown;

  @Spec CommandSpec spec;

  @Option(names = "--nodename", paramLabel = "NAME",
      description = "Name of the node. Default: $VK_NODE_NAME, else the host name.")
  String nodeName;

  @Option(names = "--provider", paramLabel = "NAME", defaultValue = "fake",
      description = "Provider to run pods with (see the list below). Default: ${DEFAULT-VALUE}.")
  String provider;

  @Option(names = "--provider-config", paramLabel = "FILE", description = "The provider's configuration file.")
  Path providerConfig;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig to reach the API server. Default: $KUBECONFIG, else ~/.kube/config if it"
          + " exists, else the in-cluster service account.")
  String kubeconfig;

  @Option(names = "--pod-sync-workers", paramLabel = "N", defaultValue = "10",
      description = "Pods reconciled in parallel. Default: ${DEFAULT-VALUE}.")
  int podSyncWorkers;

  @Option(names = "--full-resync-period", paramLabel = "DURATION", defaultValue = "1m",
      description = "How often every pod is checked against the provider even without a change."
          + " Default: ${DEFAULT-VALUE}.")
  String fullResyncPeriod;

  @Option(names = "--disable-taint", description = "Register the node without its taint.")
  boolean disableTaint;

  @Option(names = "--no-normal-pod-events",
      description = "Record only Warning Events on pods, not the informational ones a kubelet records"
          + " (Pulled, Created, Started, Killing): fewer API writes per pod.")
  boolean noNormalPodEvents;

  @Option(names = "--event-qps", paramLabel = "QPS", defaultValue = "5",
      description = "Pod Events sent per second after the burst, as the kubelet's flag (0: no limit of its own);"
          + " a burst of pods records its Events later, or drops Normal ones when the queue of 1,000 fills."
          + " Default: ${DEFAULT-VALUE}.")
  double eventQps;

  @Option(names = "--event-burst", paramLabel = "N", defaultValue = "10",
      description = "Pod Events sent at once above --event-qps. Default: ${DEFAULT-VALUE}.")
  int eventBurst;

  @Option(names = "--taint-key", paramLabel = "KEY",
      description = "Key of the node's taint. Default: $VKUBELET_TAINT_KEY, else virtual-kubelet.io/provider.")
  String taintKey;

  @Option(names = "--taint-value", paramLabel = "VALUE",
      description = "Value of the node's taint. Default: $VKUBELET_TAINT_VALUE, else the provider's"
          + " (its name; alibabacloud for eci, as on ACK's virtual nodes).")
  String taintValue;

  @Option(names = "--taint-effect", paramLabel = "EFFECT",
      description = "Effect of the node's taint: NoSchedule, PreferNoSchedule or NoExecute."
          + " Default: $VKUBELET_TAINT_EFFECT, else NoSchedule.")
  String taintEffect;

  @Option(names = "--kubelet-port", paramLabel = "PORT",
      description = "Port of the kubelet API (logs, exec, attach, port-forward, metrics); 0 picks a free one. Default: $KUBELET_PORT,"
          + " else 10250.")
  Integer kubeletPort;

  @Option(names = "--tls-cert-file", paramLabel = "FILE",
      description = "Serving certificate (PEM chain) of the kubelet API, reloaded when it changes."
          + " Default: $APISERVER_CERT_LOCATION, else a self-issued one for the node's name and InternalIP.")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", paramLabel = "FILE",
      description = "Private key (PEM) of --tls-cert-file. Default: $APISERVER_KEY_LOCATION.")
  Path tlsPrivateKeyFile;

  @Option(names = "--client-ca-file", paramLabel = "FILE",
      description = "CA bundle (PEM) of the client certificates the kubelet API accepts: the CA of the API server's"
          + " --kubelet-client-certificate. Default: $APISERVER_CA_CERT_LOCATION, else the in-cluster service"
          + " account's ca.crt when it exists; without one only bearer tokens authenticate.")
  Path clientCaFile;

  @Option(names = "--anonymous-auth", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      defaultValue = "false",
      description = "Let requests without credentials reach the kubelet API as system:anonymous (still authorized"
          + " by SubjectAccessReview). Default: ${DEFAULT-VALUE}.")
  boolean anonymousAuth;

  @Option(names = "--internal-ip", paramLabel = "IP",
      description = "The node's InternalIP, where the API server reaches the kubelet API."
          + " Default: $VKUBELET_POD_IP, else the provider's.")
  String internalIp;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = LogLevels.DEFAULT,
      description = "trace, debug, info, warn, error or off. Default: ${DEFAULT-VALUE}.")
  String logLevel;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = LogLevels.DEFAULT_FORMAT,
      description = "text, or json for one JSON object per line. Default: ${DEFAULT-VALUE}.")
  String logFormat;

  @Option(names = "--statefulset-namespace", paramLabel = "NAMESPACE",
      description = "Namespace of the StatefulSet whose replicas run the nodes (node <statefulset>-<ordinal>): a"
          + " node whose StatefulSet is deleted or scaled below it is retired when it stops (its pods deleted and"
          + " rescheduled, its backend pods and its Node deleted). Default: $POD_NAMESPACE; without it nodes are"
          + " never retired.")
  String statefulSetNamespace;

  @Option(names = "--disable-cluster-sweep",
      description = "Do not take part in the cluster sweep of backend pods left behind by nodes that are gone.")
  boolean disableClusterSweep;

  @Option(names = "--cluster-sweep-period", paramLabel = "DURATION", defaultValue = "5m",
      description = "How often the elected node sweeps the cluster's backend pods. Default: ${DEFAULT-VALUE}.")
  String clusterSweepPeriod;

  @Option(names = "--cluster-sweep-safety-age", paramLabel = "DURATION", defaultValue = "5m",
      description = "How old a backend pod must be before the sweep may delete it. Default: ${DEFAULT-VALUE}.")
  String clusterSweepSafetyAge;

  @Option(names = "--abandoned-node-age", paramLabel = "DURATION", defaultValue = "10m",
      description = "How long a node that cannot come back may go without renewing its Lease before the sweep"
          + " retires it. Default: ${DEFAULT-VALUE}.")
  String abandonedNodeAge;

  @Option(names = "--retirement-timeout", paramLabel = "DURATION", defaultValue = "45s",
      description = "How long a retiring node waits for its pods to be deleted (keep it below the pod's"
          + " terminationGracePeriodSeconds). Default: ${DEFAULT-VALUE}.")
  String retirementTimeout;

  @Option(names = "--node-lease-duration", paramLabel = "DURATION", defaultValue = "40s",
      description = "Duration of the node's Lease, renewed every quarter of it. Default: ${DEFAULT-VALUE}.")
  String nodeLeaseDuration;

  @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "2m",
      description = "How long to wait for the node to become Ready before giving up. Default: ${DEFAULT-VALUE}.")
  String startupTimeout;

  VirtualNodeMain(Map<String, String> environment, ShutdownSignal shutdown) {
    this.environment = environment;
    this.shutdown = shutdown;
  }

  public static void main(String[] args) {
    LogLevels.configure(LogLevels.fromArgs(args), LogLevels.formatFromArgs(args)); // before any logger logs
    LeanJson.install(); // this process owns client-java's JSON mapper: bind pods in one pass (see the class)
    ShutdownSignal shutdown = ShutdownSignal.install();
    int status = commandLine(System.getenv(), shutdown).execute(args);
    shutdown.exitingByItself();
    System.exit(status);
  }

  /** The command with its help footer and error handling; {@code shutdown} may be null in tests. */
  static CommandLine commandLine(Map<String, String> environment, ShutdownSignal shutdown) {
    CommandLine commandLine = new CommandLine(new VirtualNodeMain(environment, shutdown));
    commandLine.getCommandSpec().usageMessage().footer(providersFooter());
    commandLine.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println(NAME + ": " + e.getMessage());
      err.println("Run '" + NAME + " --help' for the flags.");
      err.flush();
      return CommandLine.ExitCode.USAGE;
    });
    return commandLine;
  }

  @Override
  public Integer call() {
    NodeSettings settings = settings();
    ProviderFactory factory = providerFactory(settings.providerName());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VirtualNode node = null;
    try {
      ApiClient client = KubeClients.create(settings.kubeconfig());
      VirtualNode.Builder builder = VirtualNode.builder()
          .nodeName(settings.nodeName())
          .apiClient(client)
          .providerFactory(factory)
          .environment(providerEnvironment(settings))
          .options(options(settings));
      io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
          new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
              io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
      JvmMetrics.bindTo(registry);
      builder.meterRegistry(registry);
      settings.providerConfig().ifPresent(builder::providerConfig);
      node = builder.build();
      node.start();
      node.awaitReady(settings.startupTimeout());
      out.printf("%s: node %s is Ready (provider %s, kubelet API port %d)%n",
          NAME, settings.nodeName(), settings.providerName(), node.kubeletApiPort().orElse(0));
      out.flush();
      if (shutdown == null) {
        return CommandLine.ExitCode.OK;
      }
      shutdown.awaitStopRequest();
      out.printf("%s: stopping node %s%n", NAME, settings.nodeName());
      out.flush();
      boolean retired = node.shutdown();
      node = null;
      if (retired) {
        out.printf("%s: node %s retired: its StatefulSet no longer has it%n", NAME, settings.nodeName());
        out.flush();
      }
      return CommandLine.ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CommandLine.ExitCode.SOFTWARE;
    } catch (Exception e) {
      err.println(NAME + ": cannot start node " + settings.nodeName() + ": " + message(e));
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    } finally {
      if (node != null) {
        node.close();
      }
      if (shutdown != null) {
        shutdown.stopped();
      }
    }
  }

  /** Resolves flags, environment and defaults; a bad value is a {@link ParameterException}. */
  NodeSettings settings() {
    String name = firstNonBlank(nodeName, environment.get("VK_NODE_NAME")).orElseGet(VirtualNodeMain::hostName);
    if (!VirtualNode.isValidNodeName(name)) {
      throw usage("node name '" + name + "' is not a valid DNS-1123 subdomain (lower case letters, digits,"
          + " '-' and '.'); set --nodename or $VK_NODE_NAME");
    }
    if (podSyncWorkers < 1) {
      throw usage("--pod-sync-workers must be at least 1, not " + podSyncWorkers);
    }
    if (!(eventQps >= 0) || eventBurst < 1) {
      throw usage("--event-qps must be at least 0 and --event-burst at least 1, not " + eventQps + " and " + eventBurst);
    }
    if (providerConfig != null && !Files.isReadable(providerConfig)) {
      throw usage("--provider-config " + providerConfig + " is not a readable file");
    }
    String effect = firstNonBlank(taintEffect, environment.get("VKUBELET_TAINT_EFFECT")).orElse("NoSchedule");
    if (!TAINT_EFFECTS.contains(effect)) {
      throw usage("taint effect '" + effect + "' is not one of " + String.join(", ", TAINT_EFFECTS));
    }
    if (!LogLevels.LEVELS.contains(logLevel.toLowerCase(Locale.ROOT))) {
      throw usage("--log-level '" + logLevel + "' is not one of " + String.join(", ", LogLevels.LEVELS));
    }
    if (!LogLevels.FORMATS.contains(logFormat.toLowerCase(Locale.ROOT))) {
      throw usage("--log-format '" + logFormat + "' is not one of " + String.join(", ", LogLevels.FORMATS));
    }
    return new NodeSettings(
        name,
        provider,
        Optional.ofNullable(providerConfig),
        KubeClients.kubeconfigPath(firstNonBlank(kubeconfig, environment.get("KUBECONFIG")).orElse(null),
            Path.of(System.getProperty("user.home"))),
        podSyncWorkers,
        duration("--full-resync-period", fullResyncPeriod),
        !disableTaint,
        new NodeSettings.Events(!noNormalPodEvents, eventQps, eventBurst),
        firstNonBlank(taintKey, environment.get("VKUBELET_TAINT_KEY")).orElse("virtual-kubelet.io/provider"),
        firstNonBlank(taintValue, environment.get("VKUBELET_TAINT_VALUE"))
            .orElseGet(() -> providerFactory(provider).defaultTaintValue()),
        effect,
        kubeletPort(),
        kubeletApi(),
        firstNonBlank(internalIp, environment.get("VKUBELET_POD_IP")),
        duration("--startup-timeout", startupTimeout),
        new NodeSettings.Lifecycle(
            firstNonBlank(statefulSetNamespace, environment.get("POD_NAMESPACE")),
            !disableClusterSweep,
            duration("--cluster-sweep-period", clusterSweepPeriod),
            duration("--cluster-sweep-safety-age", clusterSweepSafetyAge),
            duration("--abandoned-node-age", abandonedNodeAge),
            duration("--retirement-timeout", retirementTimeout),
            duration("--node-lease-duration", nodeLeaseDuration)));
  }

  private VirtualNodeOptions options(NodeSettings settings) {
    VirtualNodeOptions.Builder options = VirtualNodeOptions.builder()
        .podSyncWorkers(settings.podSyncWorkers())
        .fullResyncPeriod(settings.fullResyncPeriod())
        .taintEnabled(settings.taintEnabled())
        .normalPodEvents(settings.events().normal())
        .eventQps(settings.events().qps())
        .eventBurst(settings.events().burst())
        .taintKey(settings.taintKey())
        .taintValue(settings.taintValue())
        .taintEffect(settings.taintEffect())
        .kubeletApiPort(OptionalInt.of(settings.kubeletPort()))
        .kubeletApi(settings.kubeletApi())
        .statefulSetNamespace(settings.lifecycle().statefulSetNamespace())
        .clusterSweep(settings.lifecycle().clusterSweep())
        .clusterSweepPeriod(settings.lifecycle().sweepPeriod())
        .clusterSweepSafetyAge(settings.lifecycle().sweepSafetyAge())
        .abandonedNodeAge(settings.lifecycle().abandonedNodeAge())
        .retirementTimeout(settings.lifecycle().retirementTimeout())
        .leaseDuration(settings.lifecycle().leaseDuration())
        .leaseRenewInterval(settings.lifecycle().leaseDuration().dividedBy(4));
    settings.internalIp().ifPresent(options::internalIp);
    return options.build();
  }

  /** The environment providers see; {@code --internal-ip} reaches them as {@code VKUBELET_POD_IP}. */
  private Map<String, String> providerEnvironment(NodeSettings settings) {
    if (settings.internalIp().isEmpty()) {
      return environment;
    }
    Map<String, String> withIp = new HashMap<>(environment);
    withIp.put("VKUBELET_POD_IP", settings.internalIp().get());
    return Map.copyOf(withIp);
  }

  private ProviderFactory providerFactory(String name) {
    try {
      return Providers.byName(name, VirtualNodeMain.class.getClassLoader());
    } catch (IllegalArgumentException e) {
      throw usage("--provider: " + e.getMessage());
    }
  }

  private int kubeletPort() {
    int port;
    if (kubeletPort != null) {
      port = kubeletPort;
    } else {
      String fromEnv = firstNonBlank(environment.get("KUBELET_PORT")).orElse("10250");
      try {
        port = Integer.parseInt(fromEnv.trim());
      } catch (NumberFormatException e) {
        throw usage("$KUBELET_PORT '" + fromEnv + "' is not a port number");
      }
    }
    if (port < 0 || port > 65535) {
      throw usage("kubelet port " + port + " is not between 0 and 65535");
    }
    return port;
  }

  /** The kubelet API's certificates and authentication, from flags, then the upstream environment variables. */
  private KubeletApiOptions kubeletApi() {
    Optional<Path> cert = file("--tls-cert-file", tlsCertFile, "APISERVER_CERT_LOCATION");
    Optional<Path> key = file("--tls-private-key-file", tlsPrivateKeyFile, "APISERVER_KEY_LOCATION");
    if (cert.isPresent() != key.isPresent()) {
      throw usage("--tls-cert-file and --tls-private-key-file ($APISERVER_CERT_LOCATION, $APISERVER_KEY_LOCATION)"
          + " go together");
    }
    Optional<Path> clientCa = file("--client-ca-file", clientCaFile, "APISERVER_CA_CERT_LOCATION");
    if (clientCa.isEmpty() && Files.isReadable(IN_CLUSTER_CA)) {
      clientCa = Optional.of(IN_CLUSTER_CA);
    }
    return KubeletApiOptions.builder()
        .tlsCertFile(cert)
        .tlsPrivateKeyFile(key)
        .clientCaFile(clientCa)
        .anonymousAuth(anonymousAuth)
        .build();
  }

  /** A file named by {@code flag}, else by the environment variable {@code variable}; it must be readable. */
  private Optional<Path> file(String flag, Path fromFlag, String variable) {
    Optional<Path> file = fromFlag != null ? Optional.of(fromFlag)
        : firstNonBlank(environment.get(variable)).map(Path::of);
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw usage((fromFlag != null ? flag : "$" + variable) + " " + file.get() + " is not a readable file");
    }
    return file;
  }

  private Duration duration(String flag, String value) {
    try {
      Duration duration = GoDuration.parse(value);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("must be positive: '" + value + "'");
      }
      return duration;
    } catch (IllegalArgumentException e) {
      throw usage(flag + ": " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static Optional<String> firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  /** The host name, lower-cased like the kubelet does, for nodes without an explicit name. */
  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "localhost";
      }
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** The exception's own message, and its causes' when they add something; on one line. */
  static String message(Throwable e) {
    StringBuilder text = new StringBuilder(oneLine(e));
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      String more = cause.getMessage() == null ? null : oneLine(cause);
      if (more != null && !text.toString().contains(more)) {
        text.append(": ").append(more);
      }
    }
    return text.toString();
  }

  /** An API failure in words, without the lines client-java adds to its message (HTTP response code: 0 ...). */
  private static String oneLine(Throwable e) {
    if (e instanceof io.kubernetes.client.openapi.ApiException) {
      return io.vk4j.runtime.internal.client.ApiErrors.describe(e);
    }
    return String.valueOf(e.getMessage() != null ? e.getMessage() : e);
  }

  private static String providersFooter() {
    Map<String, ProviderFactory> available = Providers.available(VirtualNodeMain.class.getClassLoader());
    if (available.isEmpty()) {
      return "%nNo provider is on the class path.";
    }
    return "%nProviders:%n" + available.values().stream()
        .map(f -> String.format("  %-10s %s", f.name(), f.description().replace("%", "%%")))
        .collect(Collectors.joining("%n"));
  }

  /** The version from the build, for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = VirtualNodeMain.class.getResourceAsStream("/vk4j-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {NAME + " " + properties.getProperty("version", "unknown")};
    }
  }
}
