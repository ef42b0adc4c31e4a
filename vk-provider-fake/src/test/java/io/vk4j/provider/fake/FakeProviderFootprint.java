package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1ConfigMapProjection;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1DownwardAPIProjection;
import io.kubernetes.client.openapi.models.V1DownwardAPIVolumeFile;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1ProjectedVolumeSource;
import io.kubernetes.client.openapi.models.V1ServiceAccountTokenProjection;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeProjection;
import io.vk4j.testkit.conformance.ConformancePods;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures the heap the fake provider holds per running pod, a realistic API pod included. Not a
 * test (nothing is asserted); run it with the command in {@code docs/fake-provider.md}.
 */
public final class FakeProviderFootprint {
  private FakeProviderFootprint() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    long base = usedHeap();
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(realisticPod());
    }
    long withPods = usedHeap();
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).build())) {
      provider.notifyPods(pod -> { });
      for (V1Pod pod : pods) {
        provider.createPod(pod);
      }
      pods = null;
      while (provider.listPods().stream().anyMatch(p -> !"Running".equals(p.getStatus().getPhase()))) {
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
      long running = usedHeap();
      System.out.printf("pods: %d%n", provider.podCount());
      System.out.printf("one API pod object: %d bytes%n", (withPods - base) / count);
      System.out.printf("fake provider per running pod, the kept pod included: %d bytes%n", (running - base) / count);
    }
  }

  /** A pod as the API server returns a Deployment's pod (managed fields aside). */
  static V1Pod realisticPod() {
    V1Pod pod = ConformancePods.pod("footprint");
    pod.getMetadata().generateName("web-7fc9f746b6-").resourceVersion("123456")
        .labels(Map.of("app", "web", "pod-template-hash", "7fc9f746b6"))
        .ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("ReplicaSet").name("web-7fc9f746b6")
            .uid(UUID.randomUUID().toString()).controller(true).blockOwnerDeletion(true)));
    V1Container container = pod.getSpec().getContainers().get(0);
    container.imagePullPolicy("IfNotPresent").terminationMessagePath("/dev/termination-log").terminationMessagePolicy("File")
        .ports(List.of(new V1ContainerPort().containerPort(80).protocol("TCP")))
        .env(List.of(new V1EnvVar().name("A").value("1"), new V1EnvVar().name("B").value("two")))
        .volumeMounts(List.of(new V1VolumeMount().name("kube-api-access-abcde")
            .mountPath("/var/run/secrets/kubernetes.io/serviceaccount").readOnly(true)));
    V1VolumeProjection token = new V1VolumeProjection().serviceAccountToken(
        new V1ServiceAccountTokenProjection().expirationSeconds(3607L).path("token"));
    V1VolumeProjection ca = new V1VolumeProjection().configMap(new V1ConfigMapProjection().name("kube-root-ca.crt")
        .items(List.of(new V1KeyToPath().key("ca.crt").path("ca.crt"))));
    V1VolumeProjection namespace = new V1VolumeProjection().downwardAPI(new V1DownwardAPIProjection().items(List.of(
        new V1DownwardAPIVolumeFile().path("namespace")
            .fieldRef(new V1ObjectFieldSelector().apiVersion("v1").fieldPath("metadata.namespace")))));
    pod.getSpec().dnsPolicy("ClusterFirst").schedulerName("default-scheduler").serviceAccountName("default")
        .enableServiceLinks(true).preemptionPolicy("PreemptLowerPriority").priority(0)
        .securityContext(new V1PodSecurityContext())
        .nodeSelector(Map.of("type", "virtual-kubelet"))
        .tolerations(List.of(
            new V1Toleration().key("node.kubernetes.io/not-ready").operator("Exists").effect("NoExecute").tolerationSeconds(300L),
            new V1Toleration().key("node.kubernetes.io/unreachable").operator("Exists").effect("NoExecute").tolerationSeconds(300L),
            new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists")))
        .volumes(List.of(new V1Volume().name("kube-api-access-abcde")
            .projected(new V1ProjectedVolumeSource().defaultMode(420).sources(List.of(token, ca, namespace)))));
    return pod;
  }

  private static long usedHeap() {
    for (int i = 0; i < 5; i++) {
      System.gc();
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
