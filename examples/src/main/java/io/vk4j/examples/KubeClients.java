package io.vk4j.examples;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import okhttp3.CipherSuite;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/** The API client a virtual node uses: from a kubeconfig file, or in-cluster. */
final class KubeClients {
  private KubeClients() {}

  /**
   * The kubeconfig to use: the flag's value (the first entry when it is a {@code KUBECONFIG}-style
   * list), else {@code ~/.kube/config} when it exists; empty means in-cluster.
   */
  static Optional<Path> kubeconfigPath(String flagOrEnv, Path home) {
    if (flagOrEnv != null && !flagOrEnv.isBlank()) {
      for (String entry : flagOrEnv.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          return Optional.of(Path.of(entry.trim()));
        }
      }
    }
    Path standard = home.resolve(".kube").resolve("config");
    return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
  }

  /** A client for {@code kubeconfig}, or the in-cluster service account when empty. */
  static ApiClient create(Optional<Path> kubeconfig) throws IOException {
    ApiClient client;
    if (kubeconfig.isPresent()) {
      Path file = kubeconfig.get();
      if (!Files.isRegularFile(file)) {
        throw new IOException("kubeconfig " + file + " does not exist");
      }
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        KubeConfig config = KubeConfig.loadKubeConfig(reader);
        config.setFile(file.toFile()); // relative certificate paths are relative to the file
        client = ClientBuilder.kubeconfig(config).build();
      } catch (RuntimeException e) {
        throw new IOException("cannot read kubeconfig " + file + ": " + e.getMessage(), e);
      }
    } else {
      if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
        throw new IOException("no kubeconfig: give --kubeconfig, set $KUBECONFIG or create ~/.kube/config"
            + " (in-cluster configuration is only used inside a pod)");
      }
      try {
        client = ClientBuilder.cluster().build();
      } catch (IOException | RuntimeException e) {
        throw new IOException("cannot use the in-cluster configuration: " + e.getMessage(), e);
      }
    }
    // watches hold a response open for minutes; the API server ends them well inside this.
    // HTTP/1.1, one connection per concurrent request: over HTTP/2 every response is read and
    // decrypted by one reader thread that hands it over, and the pod watch was reset under load;
    // 2.1 CPU-s less at 1,000 pods and one pod watch instead of 15 (docs/benchmark.md). The pool
    // keeps a connection for each pod worker, the Event sender and the watches.
    OkHttpClient.Builder http = client.getHttpClient().newBuilder()
        .readTimeout(5, TimeUnit.MINUTES)
        .protocols(List.of(Protocol.HTTP_1_1))
        .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
        .connectionSpecs(List.of(tlsInJvmOrder(), ConnectionSpec.CLEARTEXT));
    client.setHttpClient(http.build());
    return client;
  }

  /**
   * OkHttp's modern TLS, with its cipher suites in the JVM's order of preference
   * ({@code jdk.tls.client.cipherSuites}, which the StatefulSet sets) rather than OkHttp's own.
   */
  private static ConnectionSpec tlsInJvmOrder() {
    try {
      return modernTls(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      return ConnectionSpec.MODERN_TLS;
    }
  }

  /** OkHttp's modern TLS with the cipher suites it allows, in {@code preferred}'s order. */
  static ConnectionSpec modernTls(String[] preferred) {
    Set<String> allowed = ConnectionSpec.MODERN_TLS.cipherSuites().stream().map(CipherSuite::javaName)
        .collect(Collectors.toSet());
    String[] ordered = Arrays.stream(preferred).filter(allowed::contains).toArray(String[]::new);
    return ordered.length == 0 ? ConnectionSpec.MODERN_TLS
        : new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).cipherSuites(ordered).build();
  }
}
