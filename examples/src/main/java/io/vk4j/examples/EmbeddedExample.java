package io.vk4j.examples;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import io.vk4j.provider.fake.FakeProviderFactory;
import io.vk4j.runtime.VirtualNode;
import io.vk4j.runtime.VirtualNodeOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The smallest program that embeds a virtual node (docs/virtual-node.md quotes it): one node named
 * {@code embedded-node}, backed by the in-memory provider, until the JVM is stopped.
 */
public final class EmbeddedExample {
  private EmbeddedExample() {}

  public static void main(String[] args) throws Exception {
    ApiClient client = Config.defaultClient(); // $KUBECONFIG, ~/.kube/config or in-cluster

    VirtualNode node = VirtualNode.builder()
        .nodeName("embedded-node")
        .apiClient(client)
        .providerFactory(new FakeProviderFactory()) // or Providers.byName("eci")
        .options(VirtualNodeOptions.builder()
            .podSyncWorkers(20)
            .kubeletApiPort(0) // any free port; the Node advertises it
            .build())
        .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close(); // stops heartbeats; the Node and its pods stay
      stopped.countDown();
    }));

    node.start();
    node.awaitReady(Duration.ofMinutes(2));
    System.out.println("node " + node.nodeName() + " is Ready");
    stopped.await();
  }
}
