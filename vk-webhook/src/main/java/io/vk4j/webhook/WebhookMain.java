package io.vk4j.webhook;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of the webhook: {@code java -jar vk-webhook.jar --self-signed ...}. */
@Command(name = "vk-webhook", mixinStandardHelpOptions = true, version = "vk-webhook 0.1.0",
    sortOptions = false,
    description = "Mutating admission webhook that steers selected pods onto Kubernetes virtual nodes "
        + "(nodeSelector type=virtual-kubelet plus the virtual-kubelet.io/provider toleration).")
public final class WebhookMain implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--tls-cert-file", paramLabel = "PEM",
      description = "Serving certificate chain (PEM), e.g. tls.crt of a mounted Secret; reloaded when it changes.")
  Path tlsCertFile;

  @Option(names = "--tls-key-file", paramLabel = "PEM", description = "Private key of the serving certificate (PEM).")
  Path tlsKeyFile;

  @Option(names = "--self-signed",
      description = "Issue a CA and serving certificate at start-up and write the CA into the caBundle of --webhook-config-name.")
  boolean selfSigned;

  @Option(names = "--webhook-config-name", defaultValue = "vk4j-virtual-node-affinity",
      description = "MutatingWebhookConfiguration that receives the self-issued CA (default: ${DEFAULT-VALUE}).")
  String webhookConfigName;

  @Option(names = "--service-name", defaultValue = "vk-webhook",
      description = "Service name, for the DNS names of the self-issued certificate (default: ${DEFAULT-VALUE}).")
  String serviceName;

  @Option(names = "--service-namespace", defaultValue = "kube-system",
      description = "Namespace of the Service (default: ${DEFAULT-VALUE}).")
  String serviceNamespace;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Rules file (YAML or JSON), reloaded when it changes; default: the built-in rules.")
  Path config;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig; default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
  Path kubeconfig;

  @Option(names = "--log-level", defaultValue = "info",
      description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(names = "--workers", description = "Threads answering reviews (default: number of cores, at least 2).")
  Integer workers;

  @Option(names = "--max-request-bytes", defaultValue = "3145728",
      description = "Largest accepted AdmissionReview body (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new WebhookMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    // must happen before the first logger is created
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    if (selfSigned == (tlsCertFile != null)) {
      System.err.println("Give either --self-signed or --tls-cert-file with --tls-key-file.");
      return 2;
    }
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      System.err.println("--tls-cert-file and --tls-key-file go together.");
      return 2;
    }
    ServerOptions.Builder server = ServerOptions.builder().bindAddress(bindAddress).port(port)
        .maxRequestBytes(maxRequestBytes);
    if (workers != null) {
      server.workers(workers);
    }
    String service = serviceName + "." + serviceNamespace;
    List<String> dnsNames = new ArrayList<>(List.of(serviceName, service, service + ".svc",
        service + ".svc.cluster.local", "localhost"));
    WebhookApp.Settings.Builder settings = WebhookApp.Settings.builder()
        .server(server.build())
        .configFile(java.util.Optional.ofNullable(config))
        .tlsCertFile(java.util.Optional.ofNullable(tlsCertFile))
        .tlsKeyFile(java.util.Optional.ofNullable(tlsKeyFile))
        .selfSignedDnsNames(dnsNames)
        .selfSignedIpAddresses(List.of("127.0.0.1"));
    if (selfSigned) {
      settings.webhookConfigurationName(webhookConfigName);
    }
    ApiClient client = apiClient();
    WebhookApp app;
    try {
      app = WebhookApp.start(settings.build(), client);
    } catch (ConfigParser.InvalidConfigException | java.io.IOException e) {
      System.err.println("vk-webhook cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LoggerFactory.getLogger(WebhookMain.class).info("stopping");
      app.close();
      stopped.countDown();
    }, "vk-webhook-shutdown"));
    stopped.await();
    return 0;
  }

  private ApiClient apiClient() throws java.io.IOException {
    ApiClient client;
    if (kubeconfig != null) {
      try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
        KubeConfig parsed = KubeConfig.loadKubeConfig(reader);
        parsed.setFile(kubeconfig.toFile());
        client = ClientBuilder.kubeconfig(parsed).build();
      }
    } else {
      client = ClientBuilder.standard().build();
    }
    // the namespace watch is a long poll
    client.setReadTimeout(0);
    return client;
  }
}
