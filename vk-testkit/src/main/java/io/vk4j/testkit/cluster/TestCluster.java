package io.vk4j.testkit.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real Kubernetes API server for a test class, injected by {@link KubernetesClusterExtension}.
 * Tests share it with every other test of the run, so everything they create gets a unique name.
 */
public interface TestCluster {

  /** A new client for the cluster; its read timeout suits long watches. */
  ApiClient client();

  /** The core API through a client shared by this test class. */
  CoreV1Api core();

  /** The kubeconfig file of the cluster, for {@code kubectl} and for programs under test. */
  Path kubeconfig();

  /**
   * Creates a namespace named {@code prefix-xxxxx}, waits until pods can be created in it (its
   * default service account exists), and deletes it after the test class.
   */
  String createNamespace(String prefix);

  /**
   * The CA of the client certificate the API server presents to kubelets ({@code
   * --kubelet-client-certificate}), to give virtual nodes as their client CA so that {@code kubectl
   * logs}, {@code exec} and the node proxy reach them: {@code $VK4J_KUBELET_CLIENT_CA} when set,
   * else the {@code kubelet-client-ca.crt} that {@code scripts/control-plane.sh} writes beside its
   * kubeconfig; empty when neither exists.
   */
  default Optional<Path> kubeletClientCaFile() {
    String fromEnv = System.getenv("VK4J_KUBELET_CLIENT_CA");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(Path.of(fromEnv));
    }
    Path beside = kubeconfig().resolveSibling("kubelet-client-ca.crt");
    return Files.isReadable(beside) ? Optional.of(beside) : Optional.empty();
  }

  /** A unique DNS-1123 name: {@code prefix-} followed by random lower-case letters and digits. */
  String uniqueName(String prefix);

  /**
   * A random node name that is also a loopback address ({@code 127.a.b.c}): a virtual node's kubelet
   * API can listen there, and the API server reaches it whichever node address type it prefers.
   */
  default String loopbackNodeName() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
  }
}
