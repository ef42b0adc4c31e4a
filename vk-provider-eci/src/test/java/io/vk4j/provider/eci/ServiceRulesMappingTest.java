package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.custom.IntOrString;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules of ECI's API reference the mapping follows (docs/eci-provider.md, "Documented limits"): corpus pods
 * changed to break or meet each one. A pod that breaks one fails before any call, with the field, the value
 * and the limit.
 */
class ServiceRulesMappingTest {
  private final FakeClusterResources resources = new FakeClusterResources();

  private PodMapper.MappedPod map(V1Pod pod) throws ProviderException {
    return map(pod, TestPods.settings().build());
  }

  private PodMapper.MappedPod map(V1Pod pod, EciSettings settings) throws ProviderException {
    return PodMapper.map(pod, settings, resources);
  }

  private static V1Pod job() {
    return TestPods.load("job-pod");
  }

  private static V1Container first(V1Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }

  private static InvalidInputException refusal(ThrowingMap call) {
    try {
      call.run();
    } catch (InvalidInputException e) {
      return e;
    } catch (ProviderException e) {
      throw new AssertionError("not an InvalidInputException", e);
    }
    throw new AssertionError("the pod was not refused");
  }

  private interface ThrowingMap {
    void run() throws ProviderException;
  }

  @Test
  void everyBrokenLimitIsNamedWithItsValueAndTheLimitAtOnce() {
    V1Pod pod = job();
    V1Container c = first(pod);
    c.args(new ArrayList<>(Collections.nCopies(11, "a")))
        .command(new ArrayList<>(Collections.nCopies(21, "c")))
        .addEnvItem(new V1EnvVar().name("LONG").value("x".repeat(257)))
        .addEnvItem(new V1EnvVar().name("my.var").value("x"))
        .readinessProbe(new V1Probe().successThreshold(2).tcpSocket(new V1TCPSocketAction().port(new IntOrString(80))));

    InvalidInputException e = refusal(() -> map(pod));
    assertThat(e.reason()).isEqualTo("EciLimitExceeded");
    assertThat(e.getMessage())
        .contains("container 'pi' args='11 arguments': ECI accepts at most 10")
        .contains("container 'pi' command='21 entries': ECI accepts at most 20")
        .contains("container 'pi' env LONG=").contains("(257 characters): ECI accepts values of at most 256")
        .contains("container 'pi' env name='my.var'")
        .contains("readinessProbe.successThreshold='2': ECI accepts only 1");
  }

  @Test
  void valuesJustInsideTheLimitsAreSent() throws Exception {
    V1Pod pod = job();
    first(pod).args(new ArrayList<>(Collections.nCopies(10, "a"))).command(List.of("c".repeat(256)))
        .addEnvItem(new V1EnvVar().name("MAX_VALUE").value("x".repeat(256)));
    Map<String, String> p = map(pod).params();
    assertThat(p).containsEntry("Container.1.Arg.10", "a").containsEntry("Container.1.Command.1", "c".repeat(256));
  }

  @Test
  void templatesOfAContainerWithDeferredVariablesReachEciWithTheirEscapesUndone() throws Exception {
    V1Pod pod = job();
    // as the runtime hands it over: POD_IP deferred, every other '$' escaped as '$$'
    first(pod).command(List.of("echo", "$$HOME", "$(POD_IP)"))
        .addEnvItem(new V1EnvVar().name("POD_IP").valueFrom(new V1EnvVarSource()
            .fieldRef(new V1ObjectFieldSelector().fieldPath("status.podIP"))))
        .addEnvItem(new V1EnvVar().name("PRICE").value("$$5 at $(POD_IP)"));
    Map<String, String> p = map(pod).params();
    assertThat(p).containsEntry("Container.1.Command.2", "$HOME").containsEntry("Container.1.Command.3", "$(POD_IP)")
        .containsValue("$5 at $(POD_IP)");
  }

  @Test
  void capabilitiesOutsideWhatEciAddsAreRefused() throws Exception {
    V1Pod pod = job();
    first(pod).securityContext(new V1SecurityContext().capabilities(new V1Capabilities().add(List.of("SYS_ADMIN", "NET_RAW"))));
    InvalidInputException e = refusal(() -> map(pod));
    assertThat(e.getMessage()).contains("capabilities.add='SYS_ADMIN'").contains("capabilities.add='NET_RAW'")
        .contains("ECI_NET_RAW_ALLOWED=true");
    // NET_RAW for an account on ECI's allow list
    first(pod).getSecurityContext().getCapabilities().add(List.of("NET_RAW"));
    assertThat(map(pod, TestPods.settings().netRawAllowed(true).build()).params())
        .containsEntry("Container.1.SecurityContext.Capability.Add.1", "NET_RAW");
  }

  @Test
  void readOnlyRootFilesystemFalseIsEcisDefaultAndNotSent() throws Exception {
    V1Pod pod = job();
    first(pod).securityContext(new V1SecurityContext().readOnlyRootFilesystem(false)
        .capabilities(new V1Capabilities().drop(List.of("ALL"))));
    PodMapper.MappedPod mapped = map(pod);
    assertThat(mapped.params()).doesNotContainKey("Container.1.SecurityContext.ReadOnlyRootFilesystem");
    assertThat(mapped.warnings()).anySatisfy(w -> assertThat(w.message()).contains("cannot drop capabilities"));
  }

  @Test
  void sysctlsEciSetsNowhereAreRefused() {
    V1Pod pod = job();
    pod.getSpec().securityContext(new io.kubernetes.client.openapi.models.V1PodSecurityContext()
        .addSysctlsItem(new io.kubernetes.client.openapi.models.V1Sysctl().name("kernel.shm_rmid_forced").value("1")));
    assertThat(refusal(() -> map(pod)).getMessage()).contains("sysctls[kernel.shm_rmid_forced]");
  }

  @Test
  void hostNetworkHostNamespacesAndDaemonSetPodsAreUnsupported() {
    V1Pod pod = job();
    pod.getSpec().hostNetwork(true).hostPID(true);
    pod.getMetadata().addOwnerReferencesItem(new V1OwnerReference().kind("DaemonSet").name("agent").uid("1")
        .apiVersion("apps/v1"));
    InvalidInputException e = refusal(() -> map(pod));
    assertThat(e.reason()).isEqualTo("UnsupportedPodFeature");
    assertThat(e.getMessage()).contains("spec.hostNetwork=true").contains("hostPID").contains("DaemonSet pods");
  }

  @Test
  void containersAndVolumesAreCountedWithTheSidecar() throws Exception {
    resources.secret("kube-system", "vk4j-kube-proxy", Map.of("kubeconfig", "apiVersion: v1\n"));
    V1Pod pod = TestPods.load("deployment-pod");
    for (int i = 0; i < 19; i++) {
      pod.getSpec().addContainersItem(new V1Container().name("c" + i).image("nginx"));
    }
    EciSettings withProxy = TestPods.settings().kubeProxy(true).build();
    assertThat(map(pod).params()).containsKey("Container.20.Name");
    assertThat(refusal(() -> map(pod, withProxy)).getMessage())
        .contains("containers and init containers (with the kube-proxy sidecar)='21': ECI runs at most 20");

    V1Pod volumes = job();
    for (int i = 0; i < 21; i++) {
      volumes.getSpec().addVolumesItem(new V1Volume().name("v" + i).emptyDir(new V1EmptyDirVolumeSource()));
    }
    assertThat(refusal(() -> map(volumes)).getMessage()).contains("volumes='21': ECI mounts at most 20");
  }

  @Test
  void aConfigFileOver32KibIsRefusedNamingTheVolumeAndFile() throws Exception {
    resources.configMap("shop", "app-config", Map.of("app.yaml", "x".repeat(32 * 1024 + 1)), Map.of("logo.png", new byte[] {1}));
    resources.secret("shop", "app-tls", Map.of("tls.crt", "CERT", "tls.key", "KEY"));
    assertThat(refusal(() -> map(TestPods.load("volumes-pod"))).getMessage())
        .contains("volume 'config' file app.yaml='32769 bytes': an ECI config file holds at most 32768 bytes");
  }

  @Test
  void emptyDirSizesCarryAUnitEciReads() throws Exception {
    V1Pod pod = job();
    pod.getSpec().addVolumesItem(new V1Volume().name("a").emptyDir(new V1EmptyDirVolumeSource().sizeLimit(new Quantity("1G"))))
        .addVolumesItem(new V1Volume().name("b").emptyDir(new V1EmptyDirVolumeSource().sizeLimit(new Quantity("2Gi"))));
    Map<String, String> p = map(pod).params();
    // 1G = 953.67 MiB, rounded up
    assertThat(p).containsEntry("Volume.1.EmptyDirVolume.SizeLimit", "954Mi").containsEntry("Volume.2.EmptyDirVolume.SizeLimit", "2Gi");
  }

  @Test
  void theHostNameIsTheKubeletsTheSpecsHostnameOrThePodName() throws Exception {
    V1Pod pod = job();
    assertThat(map(pod).params()).containsEntry("HostName", "pi-28473920-x7k2p");
    pod.getSpec().hostname("db-0");
    assertThat(map(pod).params()).containsEntry("HostName", "db-0");
    pod.getSpec().hostname(null);
    pod.getMetadata().name("p".repeat(70));
    assertThat(map(pod).params().get("HostName")).hasSize(63);
  }

  @Test
  void longNamesAreSplitOverTagsOfAtMost128CharactersAndReadBackWhole() throws Exception {
    V1Pod pod = job();
    String longName = "n".repeat(120) + "-" + "m".repeat(130);
    pod.getMetadata().name(longName);
    String node = "virtual-node-" + "x".repeat(200);
    Map<String, String> p = map(pod, TestPods.settings().nodeName(node).build()).params();
    Map<String, String> tags = new TreeMap<>();
    for (int i = 1; p.containsKey("Tag." + i + ".Key"); i++) {
      tags.put(p.get("Tag." + i + ".Key"), p.get("Tag." + i + ".Value"));
    }
    assertThat(tags.values()).allSatisfy(v -> assertThat(v.length()).isLessThanOrEqualTo(128));
    assertThat(tags.keySet()).allSatisfy(k -> assertThat(k.length()).isLessThanOrEqualTo(64))
        .contains(GroupTags.POD, GroupTags.POD + "-2", GroupTags.NODE, GroupTags.NODE + "-2");
    assertThat(GroupTags.podOf(tags, "c-test", node)).get()
        .satisfies(id -> assertThat(id.name()).isEqualTo(longName));
    // another node whose name starts alike is not this one
    assertThat(GroupTags.podOf(tags, "c-test", node.substring(0, 128))).isEmpty();
  }

  @Test
  void gpuPodsGetAGpuInstanceTypeOrAClearRefusal() throws Exception {
    V1Pod pod = job();
    first(pod).resources(new V1ResourceRequirements().putLimitsItem("nvidia.com/gpu", new Quantity("1")));
    InvalidInputException missing = refusal(() -> map(pod));
    assertThat(missing.reason()).isEqualTo("GpuInstanceTypeRequired");
    assertThat(missing.getMessage()).contains("eci-use-specs").contains("eci-gpu-type");

    pod.getMetadata().putAnnotationsItem(EciAnnotations.GPU_TYPE, "T4");
    assertThat(map(pod).request(0, List.of("vsw-zonea"), 0)).containsEntry("InstanceType", "ecs.gn6i-c4g1.xlarge")
        .containsEntry("Container.1.Gpu", "1");

    pod.getMetadata().getAnnotations().remove(EciAnnotations.GPU_TYPE);
    pod.getMetadata().putAnnotationsItem(EciAnnotations.USE_SPECS, "ecs.c6.large");
    assertThat(refusal(() -> map(pod)).getMessage()).contains("only GPU instance types");
    pod.getMetadata().putAnnotationsItem(EciAnnotations.USE_SPECS, "ecs.gn7i-c8g1.2xlarge");
    assertThat(map(pod).request(0, List.of("vsw-zonea"), 0)).containsEntry("InstanceType", "ecs.gn7i-c8g1.2xlarge");
  }

  @Test
  void customTagsJoinTheGroupsTags() throws Exception {
    V1Pod pod = job();
    pod.getMetadata().putAnnotationsItem(EciAnnotations.CUSTOM_TAGS, "team:data,env:prod");
    Map<String, String> p = map(pod).params();
    assertThat(p).containsValue("team").containsValue("data").containsValue("env").containsValue("prod");
  }
}
