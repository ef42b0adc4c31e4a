package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderException;
import io.vk4j.eci.emulator.EciEmulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An ECI emulator and the settings that point the provider at it: the same wiring a user (or the
 * end-to-end test) uses, {@code ECI_ENDPOINT=127.0.0.1:PORT ECI_PROTOCOL=http} plus the emulator's
 * credentials.
 */
final class EmulatorFixture implements AutoCloseable {
  static final String REGION = "cn-hangzhou";

  final EciEmulator emulator;
  final FakeClusterResources resources = new FakeClusterResources();
  final RecordingEvents events = new RecordingEvents();
  final Map<String, String> env = new HashMap<>();
  final List<V1Pod> notifications = new CopyOnWriteArrayList<>();
  final Map<String, V1Pod> latest = new ConcurrentHashMap<>();

  EmulatorFixture() {
    this(EciEmulator.builder().region(REGION).groupTransitionDelay(Duration.ofMillis(200)));
  }

  EmulatorFixture(EciEmulator.Builder builder) {
    emulator = builder
        .vSwitch("vsw-zonea", REGION + "-a", "192.168.0.0/16")
        .vSwitch("vsw-zoneb", REGION + "-b", "10.1.0.0/16")
        .build().start();
    env.put("ECI_REGION", REGION);
    env.put("ECI_ENDPOINT", emulator.endpoint());
    env.put("ECI_PROTOCOL", "http");
    env.put("ECI_ACCESS_KEY", EciEmulator.DEFAULT_ACCESS_KEY_ID);
    env.put("ECI_SECRET_KEY", EciEmulator.DEFAULT_ACCESS_KEY_SECRET);
    env.put("ECI_SECURITY_GROUP", "sg-emulator");
    env.put("ECI_VSWITCH", "vsw-zonea,vsw-zoneb");
    env.put("ECI_CLUSTER_ID", "c-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("ECI_KUBE_PROXY", "false");
    env.put("ECI_STATUS_POLL_SECONDS", "1");
    env.put("ECI_API_QPS", "200");
  }

  ProviderContext context(String nodeName) {
    return ProviderContext.builder().nodeName(nodeName).environment(Map.copyOf(env)).resources(resources)
        .events(events).build();
  }

  /** A provider through the factory, listening for notifications. */
  EciProvider provider(String nodeName) throws ProviderException {
    EciProvider provider = (EciProvider) new EciProviderFactory().create(context(nodeName));
    provider.notifyPods(listener());
    return provider;
  }

  PodStatusListener listener() {
    return pod -> {
      notifications.add(pod);
      latest.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod);
    };
  }

  String phaseOf(V1Pod pod) {
    V1Pod last = latest.get(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    return last == null ? null : last.getStatus().getPhase();
  }

  V1Pod latest(V1Pod pod) {
    return latest.get(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
  }

  @Override
  public void close() {
    emulator.close();
  }

  /** A small pod the emulator runs: a web container with resources and a probe. */
  static V1Pod pod(String namespace, String name) {
    V1Pod pod = TestPods.load("deployment-pod");
    pod.getMetadata().namespace(namespace).name(name).uid(UUID.randomUUID().toString());
    return pod;
  }
}
