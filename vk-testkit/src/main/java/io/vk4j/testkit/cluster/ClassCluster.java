package io.vk4j.testkit.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The cluster as one test class sees it; deletes the namespaces it created when the class ends. */
final class ClassCluster implements TestCluster, AutoCloseable {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path kubeconfig;
  private final CoreV1Api core;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();

  ClassCluster(Path kubeconfig) {
    KubernetesJson.omitEmptyCollections();
    this.kubeconfig = kubeconfig;
    this.core = new CoreV1Api(client());
  }

  @Override
  public ApiClient client() {
    try (Reader reader = Files.newBufferedReader(kubeconfig, StandardCharsets.UTF_8)) {
      KubeConfig config = KubeConfig.loadKubeConfig(reader);
      config.setFile(kubeconfig.toFile());
      ApiClient client = ClientBuilder.kubeconfig(config).build();
      client.setHttpClient(client.getHttpClient().newBuilder()
          .readTimeout(5, TimeUnit.MINUTES)
          .build());
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
    }
  }

  @Override
  public CoreV1Api core() {
    return core;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public String createNamespace(String prefix) {
    String name = uniqueName(prefix);
    try {
      core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name))).execute();
    } catch (ApiException e) {
      throw new IllegalStateException("cannot create namespace " + name + ": " + e.getResponseBody(), e);
    }
    namespaces.add(name);
    // The controller manager adds the default service account; pods are refused before that.
    Awaitility.await("service account default in " + name)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> core.readNamespacedServiceAccount("default", name).execute() != null);
    return name;
  }

  @Override
  public String uniqueName(String prefix) {
    StringBuilder name = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 6; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  @Override
  public void close() {
    for (String namespace : namespaces) {
      try {
        core.deleteNamespace(namespace).execute();
      } catch (ApiException e) {
        // Already gone, or the cluster went away first: nothing left to clean.
      }
    }
  }
}
