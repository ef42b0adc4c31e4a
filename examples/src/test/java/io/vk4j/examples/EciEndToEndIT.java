package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.vk4j.eci.emulator.ContainerGroupSnapshot;
import io.vk4j.eci.emulator.EciEmulator;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code VirtualNodeMain --provider eci} against the in-process ECI emulator on the real control plane:
 * a pod written like the ACK documentation's is bound by the real scheduler, runs with the IP of its
 * container group, and deleting the pod through the API server removes that group.
 */
@ExtendWith(KubernetesClusterExtension.class)
class EciEndToEndIT {
  private static final Duration TIMEOUT = EciNode.TIMEOUT;

  @Test
  void podRunsWithTheContainerGroupsIpAndDeletingItRemovesTheGroup(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    EciNode node = new EciNode(cluster, EciEmulator.builder());
    String nodeName = node.nodeName;
    EciEmulator emulator = node.emulator;
    try (node) {
      String namespace = cluster.createNamespace("vk-eci-e2e"); // deleted by the extension
      String podName = cluster.uniqueName("nginx");
      V1Pod created = core.createNamespacedPod(namespace, new V1Pod()
          .metadata(new V1ObjectMeta().name(podName))
          .spec(new V1PodSpec()
              .addContainersItem(new V1Container().name("nginx").image("nginx"))
              .putNodeSelectorItem("type", "virtual-kubelet")
              .putNodeSelectorItem("kubernetes.io/hostname", nodeName) // this node, not another test's
              .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))))
          .execute();
      String uid = created.getMetadata().getUid();
      assertThat(created.getSpec().getNodeName()).as("bound by the scheduler, not by us").isNull();

      await().atMost(TIMEOUT).until(() -> {
        V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
        return nodeName.equals(pod.getSpec().getNodeName()) && "Running".equals(pod.getStatus().getPhase())
            && pod.getStatus().getPodIP() != null;
      });
      ContainerGroupSnapshot group = groupOf(emulator, uid).orElseThrow();
      assertThat(group.status()).isEqualTo("Running");
      assertThat(group.intranetIp()).isPresent();
      V1Pod running = core.readNamespacedPod(podName, namespace).execute();
      assertThat(running.getStatus().getPodIP()).isEqualTo(group.intranetIp().get());

      if (cluster.kubeletClientCaFile().isPresent()) {
        // kubectl exec -i: API server -> kubelet API -> ECI's interactive session (the emulator's WebSocket)
        Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", cluster.kubeconfig().toString(), "exec", "-i",
            "-n", namespace, podName, "--", "sh").redirectErrorStream(true).start();
        kubectl.getOutputStream().write("echo hello from eci\nexit 3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        kubectl.getOutputStream().close();
        assertThat(kubectl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = new String(kubectl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(said).as("kubectl exec said").contains("hello from eci");
        assertThat(kubectl.exitValue()).as("kubectl exec said: %s", said).isEqualTo(3);
      }

      core.deleteNamespacedPod(podName, namespace).execute();

      await().atMost(TIMEOUT).until(() -> groupOf(emulator, uid).isEmpty());
      await().atMost(TIMEOUT).until(() -> isGone(core, podName, namespace));
      assertThat(emulator.containerGroups()).noneMatch(g -> g.name().contains(podName));
    }
    assertThat(node.output()).contains("stopping node " + nodeName);
  }

  /**
   * A pod of each annotation ACK documents that vk4j honours, through the scheduler: each runs, and its group
   * carries the parameter the annotation stands for; an invalid value fails its pod with an Event naming the
   * annotation.
   */
  @Test
  void annotatedPodsRunWithTheirParametersAndABadOneFailsNamingIt(TestCluster cluster) throws Exception {
    CoreV1Api core = cluster.core();
    try (EciNode node = new EciNode(cluster, EciEmulator.builder())) {
      String nodeName = node.nodeName;
      EciEmulator emulator = node.emulator;
      // ACK's taint: the docs' toleration (operator Equal, value alibabacloud) matches it
      assertThat(core.readNode(nodeName).execute().getSpec().getTaints()).anySatisfy(t -> {
        assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider");
        assertThat(t.getValue()).isEqualTo("alibabacloud");
      });
      String namespace = cluster.createNamespace("vk-eci-annotations");
      Map<String, String[]> cases = new java.util.LinkedHashMap<>();
      // annotation -> value, parameter, expected value of the parameter
      cases.put("k8s.aliyun.com/eci-extra-ephemeral-storage", new String[] {"50Gi", "EphemeralStorage", "50"});
      cases.put("k8s.aliyun.com/eci-spot-duration", new String[] {"0", "SpotDuration", "0"});
      cases.put("k8s.aliyun.com/eci-custom-tags", new String[] {"team:data", "Tag.6.Key", "team"});
      cases.put("k8s.aliyun.com/eci-gpu-driver-version", new String[] {"tesla=525.85.12", "GpuDriverVersion", "tesla=525.85.12"});
      cases.put("k8s.aliyun.com/eci-gpu-type", new String[] {"T4", "InstanceType", "ecs.gn6i-c4g1.xlarge"});
      cases.put("k8s.aliyun.com/eci-cpu-option-core", new String[] {"2", "CpuOptionsCore", "2"});
      cases.put("k8s.aliyun.com/eci-cpu-option-ht", new String[] {"1", "CpuOptionsThreadsPerCore", "1"});
      cases.put("k8s.aliyun.com/eci-core-pattern", new String[] {"/pod/data/core", "CorePattern", "/pod/data/core"});
      cases.put("k8s.aliyun.com/eci-host-sysctls", new String[] {"[{\"name\":\"kernel.msgmax\",\"value\":\"65536\"}]",
          "HostSecurityContext.Sysctl.1.Name", "kernel.msgmax"});
      cases.put("k8s.aliyun.com/eci-auto-imc", new String[] {"true", "AutoMatchImageCache", "true"});
      cases.put("k8s.aliyun.com/eci-imc-id", new String[] {"imc-2ze5tm5gehgtiiga0bfx", "ImageSnapshotId", "imc-2ze5tm5gehgtiiga0bfx"});
      cases.put("k8s.aliyun.com/acr-instance-ids", new String[] {"cri-nwj395hgf6f3", "AcrRegistryInfo.1.InstanceId", "cri-nwj395hgf6f3"});
      cases.put("k8s.aliyun.com/plain-http-registry", new String[] {"harbor.example.com", "PlainHttpRegistry", "harbor.example.com"});
      cases.put("k8s.aliyun.com/insecure-registry", new String[] {"192.168.1.2:5000", "InsecureRegistry", "192.168.1.2:5000"});
      cases.put("k8s.aliyun.com/eci-max-pending-minute", new String[] {"10", "MaxPendingMinute", "10"});
      cases.put("k8s.aliyun.com/eci-fail-strategy", new String[] {"fail-back", "ContainerGroupName", null});
      cases.put("kubernetes.io/ingress-bandwidth", new String[] {"10M", "IngressBandwidth", "10000000"});
      cases.put("kubernetes.io/egress-bandwidth", new String[] {"20M", "EgressBandwidth", "20000000"});
      Map<String, String> uids = new java.util.LinkedHashMap<>();
      Map<String, String> names = new java.util.LinkedHashMap<>();
      int n = 0;
      for (Map.Entry<String, String[]> c : cases.entrySet()) {
        names.put(c.getKey(), "a-" + n);
        V1Pod pod = annotated("a-" + n++, nodeName, c.getKey(), c.getValue()[0]);
        if (c.getKey().endsWith("eci-spot-duration")) {
          pod.getMetadata().putAnnotationsItem("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo");
        }
        if (c.getKey().contains("gpu")) {
          pod.getMetadata().putAnnotationsItem("k8s.aliyun.com/eci-gpu-type", "T4");
          pod.getSpec().getContainers().get(0).resources(new io.kubernetes.client.openapi.models.V1ResourceRequirements()
              .putLimitsItem("nvidia.com/gpu", new io.kubernetes.client.custom.Quantity("1")));
        }
        if (c.getKey().contains("cpu-option")) {
          pod.getMetadata().putAnnotationsItem("k8s.aliyun.com/eci-use-specs", "ecs.c6.large");
        }
        uids.put(c.getKey(), core.createNamespacedPod(namespace, pod).execute().getMetadata().getUid());
      }
      V1Pod bad = annotated("bad", nodeName, "k8s.aliyun.com/eci-extra-ephemeral-storage", "lots");
      core.createNamespacedPod(namespace, bad).execute();

      for (Map.Entry<String, String[]> c : cases.entrySet()) {
        String uid = uids.get(c.getKey());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(groupOf(emulator, uid).map(ContainerGroupSnapshot::status))
            .as("%s: %s", c.getKey(), core.readNamespacedPod(names.get(c.getKey()), namespace).execute().getStatus())
            .contains("Running"));
        if (c.getValue()[2] != null) {
          assertThat(groupOf(emulator, uid).orElseThrow().parameters()).as(c.getKey())
              .containsEntry(c.getValue()[1], c.getValue()[2]);
        }
      }
      await().atMost(TIMEOUT).until(() -> "Failed".equals(core.readNamespacedPod("bad", namespace).execute()
          .getStatus().getPhase()));
      assertThat(core.readNamespacedPod("bad", namespace).execute().getStatus().getMessage())
          .contains("k8s.aliyun.com/eci-extra-ephemeral-storage='lots'");
      assertThat(core.listNamespacedEvent(namespace).execute().getItems()).anySatisfy(e -> {
        assertThat(e.getInvolvedObject().getName()).isEqualTo("bad");
        assertThat(e.getMessage()).contains("eci-extra-ephemeral-storage='lots'");
      });
    }
  }

  private static V1Pod annotated(String name, String nodeName, String annotation, String value) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().name(name).putAnnotationsItem(annotation, value))
        .spec(new V1PodSpec()
            .addContainersItem(new V1Container().name("app").image("nginx"))
            .putNodeSelectorItem("kubernetes.io/hostname", nodeName)
            // ACK's documented toleration
            .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Equal")
                .value("alibabacloud").effect("NoSchedule")));
  }

  /** The emulator's group for the pod with this UID (the provider tags each group with it). */
  private static Optional<ContainerGroupSnapshot> groupOf(EciEmulator emulator, String uid) {
    return emulator.containerGroups().stream().filter(g -> uid.equals(g.tags().get("vk4j.io/uid"))).findFirst();
  }

  private static boolean isGone(CoreV1Api core, String podName, String namespace) throws ApiException {
    try {
      core.readNamespacedPod(podName, namespace).execute();
      return false;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return true;
      }
      throw e;
    }
  }
}
