package io.vk4j.examples;

import io.kubernetes.client.openapi.ApiClient;
import io.vk4j.api.Providers;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import io.vk4j.runtime.json.LeanJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Several virtual nodes in one JVM, as an embedder runs them: one API client shared by all, one
 * provider each. The benchmark's one-JVM side of "four nodes in one JVM against four JVMs", started
 * with the shipped jar and the test classes on the class path:
 *
 * <pre>
 * java -cp vk4j-virtual-node.jar:test-classes io.vk4j.examples.SeveralNodesMain KUBECONFIG PROVIDER NODE...
 * </pre>
 *
 * The provider reads its settings from the environment, as with {@code VirtualNodeMain}; each node's
 * kubelet API listens on a free port. Prints {@code all N nodes are Ready} and runs until SIGTERM.
 */
public final class SeveralNodesMain {
  private SeveralNodesMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: SeveralNodesMain KUBECONFIG PROVIDER NODE...");
      System.exit(2);
    }
    LogLevels.configure(Optional.empty(), Optional.empty());
    LeanJson.install(); // as VirtualNodeMain does
    ShutdownSignal shutdown = ShutdownSignal.install();
    ApiClient client = KubeClients.create(Optional.of(Path.of(args[0])));
    List<VirtualNode> nodes = new ArrayList<>();
    try {
      for (int i = 2; i < args.length; i++) {
        VirtualNode node = VirtualNode.builder()
            .nodeName(args[i])
            .apiClient(client)
            .providerFactory(Providers.byName(args[1], SeveralNodesMain.class.getClassLoader()))
            .options(VirtualNodeOptions.builder().kubeletApiPort(0).build())
            .build();
        nodes.add(node);
        node.start();
      }
      for (VirtualNode node : nodes) {
        node.awaitReady(Duration.ofMinutes(2));
      }
      System.out.println("all " + nodes.size() + " nodes are Ready");
      System.out.flush();
      shutdown.awaitStopRequest();
    } finally {
      nodes.forEach(VirtualNode::close);
      shutdown.stopped();
    }
  }
}
