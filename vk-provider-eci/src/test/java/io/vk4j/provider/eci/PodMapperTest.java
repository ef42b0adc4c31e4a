package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod-to-CreateContainerGroup mapping over the corpus of real-world pods in src/test/resources/pods. */
class PodMapperTest {
  private final FakeClusterResources resources = new FakeClusterResources();

  private Map<String, String> map(String pod) throws ProviderException {
    return map(TestPods.load(pod), TestPods.settings().build()).params();
  }

  /** The first request for a corpus pod: the parameters with its size. */
  private Map<String, String> sized(String pod) throws ProviderException {
    return map(TestPods.load(pod), TestPods.settings().build()).request(0, List.of("vsw-zonea"), 0);
  }

  private PodMapper.MappedPod map(V1Pod pod, EciSettings settings) throws ProviderException {
    return PodMapper.map(pod, settings, resources);
  }

  /** The prefix ({@code Volume.3.}) of the entry of a list whose {@code Name} is {@code name}. */
  private static String prefixOf(Map<String, String> params, String list, String name) {
    return params.entrySet().stream()
        .filter(e -> e.getKey().matches(java.util.regex.Pattern.quote(list) + "\\.\\d+\\.Name") && e.getValue().equals(name))
        .map(e -> e.getKey().substring(0, e.getKey().length() - "Name".length()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + list + " named " + name + " in " + params));
  }

  private static String content(Map<String, String> params, String key) {
    return new String(Base64.getDecoder().decode(params.get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void deploymentPodWithItsServiceAccountTokenVolume() throws Exception {
    Map<String, String> p = map("deployment-pod");

    assertThat(p).containsEntry("ContainerGroupName", "shop-web-7fc9f746b6-r4xgx")
        // a kubelet's host name: the pod name
        .containsEntry("HostName", "web-7fc9f746b6-r4xgx")
        .containsEntry("RestartPolicy", "Always")
        .containsEntry("TerminationGracePeriodSeconds", "30")
        .containsEntry("SecurityGroupId", "sg-default")
        .containsEntry("Container.1.Name", "web")
        .containsEntry("Container.1.Image", "registry-vpc.cn-hangzhou.aliyuncs.com/shop/web:1.4.2")
        .containsEntry("Container.1.ImagePullPolicy", "IfNotPresent")
        // limits win over requests: 1 core, 1 GiB
        .containsEntry("Container.1.Cpu", "1")
        .containsEntry("Container.1.Memory", "1")
        .containsEntry("Container.1.TerminationMessagePath", "/dev/termination-log")
        .containsEntry("Container.1.Port.1.Port", "8080")
        .containsEntry("Container.1.Port.1.Protocol", "TCP")
        // named port resolved
        .containsEntry("Container.1.ReadinessProbe.HttpGet.Port", "8080")
        .containsEntry("Container.1.ReadinessProbe.HttpGet.Path", "/healthz")
        .containsEntry("Container.1.ReadinessProbe.InitialDelaySeconds", "5")
        .containsEntry("Container.1.LivenessProbe.TcpSocket.Port", "8080")
        .containsEntry("Container.1.LivenessProbe.PeriodSeconds", "20");
    // deferred env: ECI fills in the pod IP itself; a host IP is the pod IP on ECI
    // Kubernetes' File policy is ECI's default: not sent (ECI documents only an MNS variant)
    assertThat(p).doesNotContainKey("Container.1.TerminationMessagePolicy");
    // the size goes with each attempt: the smallest ECI spec holding 1 core and 1 GiB
    assertThat(map(TestPods.load("deployment-pod"), TestPods.settings().build()).request(0, List.of("vsw-zonea"), 0))
        .containsEntry("Cpu", "1").containsEntry("Memory", "2");
    assertThat(p).containsEntry("Container.1.EnvironmentVar.1.Key", "POD_IP")
        .containsEntry("Container.1.EnvironmentVar.1.FieldRef.FieldPath", "status.podIP")
        .containsEntry("Container.1.EnvironmentVar.2.FieldRef.FieldPath", "status.podIP")
        .containsEntry("Container.1.EnvironmentVar.4.Key", "JAVA_OPTS")
        .containsEntry("Container.1.EnvironmentVar.4.Value", "-Xmx768m")
        .doesNotContainKey("Container.1.EnvironmentVar.1.Value");
    // tags tie the group to cluster, node and pod; the ClientToken derives from the UID
    assertThat(p).containsValue("vk4j.io/uid").containsValue("2d3c5b1e-7a41-4c1e-9a8e-5f2b7c9d0e11")
        .containsValue("c-test").containsValue("virtual-node-eci-0").containsValue("shop");

    String volume = prefixOf(p, "Volume", "kube-api-access-8x2lq");
    assertThat(p).containsEntry(volume + "Type", "ConfigFileVolume")
        // Kubernetes' 420 is decimal: ECI documents the octal digits
        .containsEntry(volume + "ConfigFileVolume.DefaultMode", "0644")
        .containsEntry(volume + "ConfigFileVolume.ConfigFileToPath.1.Path", "token")
        .containsEntry(volume + "ConfigFileVolume.ConfigFileToPath.2.Path", "ca.crt")
        .containsEntry(volume + "ConfigFileVolume.ConfigFileToPath.3.Path", "namespace");
    assertThat(content(p, volume + "ConfigFileVolume.ConfigFileToPath.1.Content")).isEqualTo("token-for-web-7fc9f746b6-r4xgx");
    assertThat(content(p, volume + "ConfigFileVolume.ConfigFileToPath.2.Content")).isEqualTo(FakeClusterResources.CA);
    assertThat(content(p, volume + "ConfigFileVolume.ConfigFileToPath.3.Content")).isEqualTo("shop");
    assertThat(resources.tokenRequests).containsEntry("web-7fc9f746b6-r4xgx", Duration.ofSeconds(3607));
    assertThat(p).containsEntry("Container.1.VolumeMount.1.Name", "kube-api-access-8x2lq")
        .containsEntry("Container.1.VolumeMount.1.MountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
        .containsEntry("Container.1.VolumeMount.1.ReadOnly", "true");
  }

  @Test
  void eachRequestNamesItsVSwitchesAndHasItsOwnClientToken() throws Exception {
    PodMapper.MappedPod mapped = map(TestPods.load("deployment-pod"), TestPods.settings().build());
    List<String> all = List.of("vsw-zonea", "vsw-zoneb");

    assertThat(mapped.request(0, all, 0)).containsEntry("VSwitchId", "vsw-zonea,vsw-zoneb")
        .containsEntry("ClientToken", "vk4j-2d3c5b1e-7a41-4c1e-9a8e-5f2b7c9d0e11");
    assertThat(mapped.request(0, List.of("vsw-zoneb"), 0)).containsEntry("VSwitchId", "vsw-zoneb");
    // a retried request keeps its token, any other request gets another: a replacement group too
    assertThat(mapped.request(0, List.of("vsw-zoneb"), 0).get("ClientToken"))
        .isEqualTo(mapped.request(0, List.of("vsw-zoneb"), 0).get("ClientToken"))
        .isNotEqualTo(mapped.request(0, all, 0).get("ClientToken"))
        .isNotEqualTo(mapped.request(0, List.of("vsw-zoneb"), 1).get("ClientToken"))
        .hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void mappingIsDeterministic() throws Exception {
    assertThat(map("deployment-pod")).isEqualTo(map("deployment-pod"));
  }

  @Test
  void jobKeepsCommandAndArgsApart() throws Exception {
    Map<String, String> p = map("job-pod");

    assertThat(p).containsEntry("RestartPolicy", "Never")
        .containsEntry("ActiveDeadlineSeconds", "600")
        .containsEntry("Container.1.Command.1", "perl")
        .containsEntry("Container.1.Command.2", "-Mbignum=bpi")
        .containsEntry("Container.1.Command.3", "-wle")
        .containsEntry("Container.1.Arg.1", "print bpi(2000)")
        .doesNotContainKey("Container.1.Command.4")
        .containsEntry("Container.1.WorkingDir", "/work")
        .containsEntry("Container.1.Cpu", "2")
        // 4G = 4e9 bytes = 3.7252902984619140625 GiB, rounded up to 0.001
        .containsEntry("Container.1.Memory", "3.726");
    assertThat(sized("job-pod")).containsEntry("Cpu", "2").containsEntry("Memory", "4");
  }

  @Test
  void initContainersAreMappedAndSizeTheGroupWhenLarger() throws Exception {
    Map<String, String> p = map("init-containers-pod");

    assertThat(p).containsEntry("InitContainer.1.Name", "migrate")
        .containsEntry("InitContainer.1.Arg.1", "migrate")
        .doesNotContainKey("InitContainer.1.Command.1")
        .containsEntry("InitContainer.2.Name", "fetch")
        .containsEntry("InitContainer.2.Command.3", "wget -O /data/index.html http://example.com")
        .containsEntry("InitContainer.2.VolumeMount.1.MountPath", "/data")
        .containsEntry("Container.1.Name", "app")
        .containsEntry("Container.1.Cpu", "0.25")
        .containsEntry("Container.1.Memory", "0.25")
        .containsEntry("Container.1.VolumeMount.1.SubPath", "site")
        .containsEntry("Container.2.Name", "sidecar")
        .containsEntry("Container.2.Memory", "0.125");
    // the migrate init container (4 cores, 8 GiB) needs more than app + sidecar
    assertThat(sized("init-containers-pod")).containsEntry("Cpu", "4").containsEntry("Memory", "8");
    String data = prefixOf(p, "Volume", "data");
    assertThat(p).containsEntry(data + "Type", "EmptyDirVolume");
  }

  @Test
  void probesHooksCapabilitiesDnsAndHostAliases() throws Exception {
    Map<String, String> p = map("probes-pod");

    assertThat(p).containsEntry("Container.1.ImagePullPolicy", "Always")
        .containsEntry("Container.1.ReadinessProbe.Exec.Command.1", "redis-cli")
        .containsEntry("Container.1.ReadinessProbe.Exec.Command.2", "ping")
        .containsEntry("Container.1.ReadinessProbe.PeriodSeconds", "5")
        .containsEntry("Container.1.LivenessProbe.TcpSocket.Port", "6379")
        .containsEntry("Container.1.LivenessProbe.InitialDelaySeconds", "30")
        .containsEntry("Container.1.LifecyclePostStartHandlerExec.1", "sh")
        .containsEntry("Container.1.LifecyclePostStartHandlerExec.3", "echo started > /tmp/started")
        .containsEntry("Container.1.LifecyclePreStopHandlerHttpGetPath", "/shutdown")
        .containsEntry("Container.1.LifecyclePreStopHandlerHttpGetPort", "6379")
        // CAP_NET_ADMIN as ECI spells it
        .containsEntry("Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN")
        .doesNotContainKey("Container.1.SecurityContext.Capability.Add.2")
        .containsEntry("Container.1.SecurityContext.ReadOnlyRootFilesystem", "true")
        .containsEntry("Container.1.SecurityContext.RunAsUser", "999")
        .containsEntry("DnsPolicy", "None")
        .containsEntry("DnsConfig.NameServer.1", "100.100.2.136")
        .containsEntry("DnsConfig.Search.1", "cache.svc.cluster.local")
        .containsEntry("DnsConfig.Option.1.Name", "ndots")
        .containsEntry("DnsConfig.Option.1.Value", "2")
        .containsEntry("HostAliase.1.Ip", "10.0.0.10")
        .containsEntry("HostAliase.1.Hostname.1", "db.internal")
        .containsEntry("HostAliase.1.Hostname.2", "db")
        // the two safe sysctls on the group, the others on the host side
        .containsEntry("SecurityContext.Sysctl.1.Name", "net.ipv4.ping_group_range")
        .doesNotContainKey("SecurityContext.Sysctl.2.Name")
        .containsEntry("HostSecurityContext.Sysctl.1.Name", "net.core.somaxconn")
        .containsEntry("HostSecurityContext.Sysctl.1.Value", "1024");
    // nothing sized: ECI's default spec
    assertThat(map(TestPods.load("probes-pod"), TestPods.settings().build()).request(0, List.of("vsw-zonea"), 0))
        .doesNotContainKeys("Cpu", "Memory", "InstanceType");
  }

  @Test
  void startupProbeIsReportedAsAWarning() throws Exception {
    PodMapper.MappedPod mapped = map(TestPods.load("probes-pod"), TestPods.settings().build());
    assertThat(mapped.warnings()).anySatisfy(w -> {
      assertThat(w.reason()).isEqualTo("EciUnsupportedField");
      assertThat(w.message()).contains("redis").contains("startup probe");
    });
  }

  @Test
  void clusterFirstDnsUsesTheConfiguredClusterDns() throws Exception {
    EciSettings settings = TestPods.settings().addClusterDns("172.21.0.10").build();
    Map<String, String> p = map(TestPods.load("deployment-pod"), settings).params();
    assertThat(p).containsEntry("DnsPolicy", "None")
        .containsEntry("DnsConfig.NameServer.1", "172.21.0.10")
        .containsEntry("DnsConfig.Search.1", "shop.svc.cluster.local")
        .containsEntry("DnsConfig.Search.2", "svc.cluster.local")
        .containsEntry("DnsConfig.Search.3", "cluster.local")
        .containsEntry("DnsConfig.Option.1.Name", "ndots")
        .containsEntry("DnsConfig.Option.1.Value", "5");
    // without a cluster DNS, ECI's default resolver (VPC DNS, PrivateZone)
    assertThat(map("deployment-pod")).containsEntry("DnsPolicy", "Default").doesNotContainKey("DnsConfig.NameServer.1");
  }

  @Test
  void configMapSecretNfsEmptyDirAndDownwardApiVolumes() throws Exception {
    resources.configMap("shop", "app-config", Map.of("app.yaml", "port: 8080\n", "unused", "x"),
        Map.of("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    resources.secret("shop", "app-tls", Map.of("tls.crt", "CERT", "tls.key", "KEY"));

    V1Pod pod = TestPods.load("volumes-pod");
    pod.getSpec().getContainers().get(0).resources(new io.kubernetes.client.openapi.models.V1ResourceRequirements()
        .putLimitsItem("cpu", new io.kubernetes.client.custom.Quantity("1500m")));
    Map<String, String> p = map(pod, TestPods.settings().build()).params();

    String config = prefixOf(p, "Volume", "config");
    assertThat(p).containsEntry(config + "Type", "ConfigFileVolume")
        .containsEntry(config + "ConfigFileVolume.DefaultMode", "0644")
        .containsEntry(config + "ConfigFileVolume.ConfigFileToPath.1.Path", "app.yaml")
        .containsEntry(config + "ConfigFileVolume.ConfigFileToPath.2.Path", "static/logo.png")
        .containsEntry(config + "ConfigFileVolume.ConfigFileToPath.2.Mode", "0400")
        .doesNotContainKey(config + "ConfigFileVolume.ConfigFileToPath.3.Path");
    assertThat(content(p, config + "ConfigFileVolume.ConfigFileToPath.1.Content")).isEqualTo("port: 8080\n");
    assertThat(Base64.getDecoder().decode(p.get(config + "ConfigFileVolume.ConfigFileToPath.2.Content")))
        .containsExactly((byte) 0x89, 'P', 'N', 'G');

    String tls = prefixOf(p, "Volume", "tls");
    assertThat(p).containsEntry(tls + "ConfigFileVolume.DefaultMode", "0400")
        .containsEntry(tls + "ConfigFileVolume.ConfigFileToPath.1.Path", "tls.crt")
        .containsEntry(tls + "ConfigFileVolume.ConfigFileToPath.2.Path", "tls.key");
    assertThat(content(p, tls + "ConfigFileVolume.ConfigFileToPath.2.Content")).isEqualTo("KEY");

    String shared = prefixOf(p, "Volume", "shared");
    assertThat(p).containsEntry(shared + "Type", "NFSVolume")
        .containsEntry(shared + "NFSVolume.Server", "0a1b2c3d4e-abc12.cn-hangzhou.nas.aliyuncs.com")
        .containsEntry(shared + "NFSVolume.Path", "/share")
        .containsEntry(shared + "NFSVolume.ReadOnly", "false");

    String scratch = prefixOf(p, "Volume", "scratch");
    assertThat(p).containsEntry(scratch + "Type", "EmptyDirVolume")
        .containsEntry(scratch + "EmptyDirVolume.Medium", "Memory")
        .containsEntry(scratch + "EmptyDirVolume.SizeLimit", "256Mi");

    String podinfo = prefixOf(p, "Volume", "podinfo");
    assertThat(p).containsEntry(podinfo + "ConfigFileVolume.ConfigFileToPath.1.Path", "labels")
        .containsEntry(podinfo + "ConfigFileVolume.ConfigFileToPath.2.Path", "cpu_limit");
    assertThat(content(p, podinfo + "ConfigFileVolume.ConfigFileToPath.1.Content")).isEmpty();
    assertThat(content(p, podinfo + "ConfigFileVolume.ConfigFileToPath.2.Content")).isEqualTo("1500");
  }

  @Test
  void aMissingMandatorySecretIsRetriedNotFailed() {
    resources.configMap("shop", "app-config", Map.of("app.yaml", "x"), Map.of("logo.png", new byte[] {1}));
    assertThatThrownBy(() -> map("volumes-pod"))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("volume 'tls'").hasMessageContaining("Secret shop/app-tls");
  }

  @Test
  void aMissingItemKeyNamesTheVolumeAndKey() {
    resources.configMap("shop", "app-config", Map.of("app.yaml", "x"), Map.of());
    resources.secret("shop", "app-tls", Map.of("tls.crt", "CERT"));
    assertThatThrownBy(() -> map("volumes-pod"))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("volume 'config'").hasMessageContaining("logo.png");
  }

  @Test
  void pullSecretsOfBothDockerConfigTypesIncludingAuthOnlyEntries() throws Exception {
    resources.secret("shop", "acr-credentials", Map.of(".dockerconfigjson",
        "{\"auths\":{\"registry.cn-hangzhou.aliyuncs.com\":{\"username\":\"shop@123\",\"password\":\"s3cret\"},"
            + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:hub:pass") + "\"}}}"));
    resources.secret("shop", "legacy-dockercfg", Map.of(".dockercfg",
        "{\"quay.io\":{\"auth\":\"" + b64("robot+ci:tok3n") + "\",\"email\":\"ci@example.com\"}}"));

    PodMapper.MappedPod mapped = map(TestPods.load("pull-secrets-pod"), TestPods.settings().build());
    Map<String, String> p = mapped.params();

    assertThat(p).containsEntry("ImageRegistryCredential.1.Server", "registry.cn-hangzhou.aliyuncs.com")
        .containsEntry("ImageRegistryCredential.1.UserName", "shop@123")
        .containsEntry("ImageRegistryCredential.1.Password", "s3cret")
        .containsEntry("ImageRegistryCredential.2.Server", "index.docker.io")
        .containsEntry("ImageRegistryCredential.2.UserName", "hubuser")
        // only the first colon separates user from password
        .containsEntry("ImageRegistryCredential.2.Password", "hub:pass")
        .containsEntry("ImageRegistryCredential.3.Server", "quay.io")
        .containsEntry("ImageRegistryCredential.3.UserName", "robot+ci")
        .containsEntry("ImageRegistryCredential.3.Password", "tok3n");
    assertThat(mapped.warnings()).anySatisfy(w -> {
      assertThat(w.reason()).isEqualTo("FailedToRetrieveImagePullSecret");
      assertThat(w.message()).contains("missing-secret").contains("does not exist");
    });
  }

  @Test
  void everyAnnotationBecomesItsParameter() throws Exception {
    PodMapper.MappedPod mapped = map(TestPods.load("annotations-pod"), TestPods.settings().build());
    Map<String, String> p = mapped.params();

    assertThat(p).containsEntry("SecurityGroupId", "sg-annotated")
        .containsEntry("ScheduleStrategy", "VSwitchRandom")
        .containsEntry("SpotStrategy", "SpotWithPriceLimit")
        .containsEntry("SpotPriceLimit", "0.25")
        .containsEntry("AutoMatchImageCache", "true")
        .containsEntry("ImageSnapshotId", "imc-2ze5tm5gehgtiiga0bfx")
        .containsEntry("AutoCreateEip", "true")
        .containsEntry("EipBandwidth", "10")
        .containsEntry("RamRoleName", "oss-reader")
        .containsEntry("ResourceGroupId", "rg-acfmzw2jz2zab3y")
        .containsEntry("NtpServer.1", "100.100.5.1")
        .containsEntry("NtpServer.2", "ntp.aliyun.com");
    // the specs in order: a vCPU-memory pair as Cpu/Memory, an ECS type as InstanceType (which takes only those)
    List<String> vSwitches = List.of("vsw-annotated1", "vsw-annotated2");
    assertThat(mapped.vSwitches()).isEqualTo(vSwitches);
    assertThat(mapped.request(0, vSwitches, 0)).containsEntry("Cpu", "2").containsEntry("Memory", "4")
        .doesNotContainKey("InstanceType").containsEntry("VSwitchId", "vsw-annotated1,vsw-annotated2");
    assertThat(mapped.request(1, vSwitches, 0)).containsEntry("InstanceType", "ecs.c6.large")
        .doesNotContainKeys("Cpu", "Memory");
  }

  @Test
  void invalidAnnotationsAreNamedWithTheirValues() {
    assertThatThrownBy(() -> map("invalid-annotation-pod"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("k8s.aliyun.com/eci-spot-strategy='Cheapest'")
        .hasMessageContaining("k8s.aliyun.com/eci-use-specs='2c4g'")
        .satisfies(e -> assertThat(((InvalidInputException) e).reason()).isEqualTo("InvalidAnnotation"));
  }

  @Test
  void hostPathIsRejectedNamingTheVolumeAndWhy() {
    assertThatThrownBy(() -> map("hostpath-pod"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("volume 'proc'")
        .hasMessageContaining("hostPath")
        .satisfies(e -> assertThat(((InvalidInputException) e).reason()).isEqualTo("UnsupportedVolume"));
  }

  @Test
  void otherUnsupportedVolumeTypesAreNamed() {
    V1Pod pod = TestPods.load("hostpath-pod");
    pod.getSpec().getVolumes().get(0).hostPath(null)
        .gitRepo(new io.kubernetes.client.openapi.models.V1GitRepoVolumeSource().repository("https://x/y.git"));
    assertThatThrownBy(() -> map(pod, TestPods.settings().build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("volume 'proc'").hasMessageContaining("gitRepo");
  }

  @Test
  void privilegedContainersAreRejected() {
    V1Pod pod = TestPods.load("job-pod");
    pod.getSpec().getContainers().get(0).securityContext(
        new io.kubernetes.client.openapi.models.V1SecurityContext().privileged(true));
    assertThatThrownBy(() -> map(pod, TestPods.settings().build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'pi' is privileged")
        .satisfies(e -> assertThat(((InvalidInputException) e).reason()).isEqualTo("UnsupportedPodFeature"));
  }

  @Test
  void kubeProxySidecarForLongRunningPodsOnly() throws Exception {
    resources.secret("kube-system", "vk4j-kube-proxy", Map.of("kubeconfig", "apiVersion: v1\nkind: Config\n"));
    EciSettings settings = TestPods.settings().kubeProxy(true).kubeProxyImage("example/kube-proxy:v1").build();

    Map<String, String> deployment = map(TestPods.load("deployment-pod"), settings).params();
    assertThat(deployment).containsEntry("Container.2.Name", KubeProxySidecar.CONTAINER)
        .containsEntry("Container.2.Image", "example/kube-proxy:v1")
        // nftables needs NET_ADMIN only, which ECI gives every account
        .containsEntry("Container.2.SecurityContext.Capability.Add.1", "NET_ADMIN")
        .doesNotContainKey("Container.2.SecurityContext.Capability.Add.2")
        .containsEntry("Container.2.Arg.2", "--proxy-mode=nftables")
        .containsEntry("Container.2.VolumeMount.1.Name", KubeProxySidecar.VOLUME);
    String volume = prefixOf(deployment, "Volume", KubeProxySidecar.VOLUME);
    assertThat(content(deployment, volume + "ConfigFileVolume.ConfigFileToPath.1.Content")).startsWith("apiVersion: v1");
    assertThat(deployment).containsEntry(volume + "ConfigFileVolume.DefaultMode", "0400");
    // the iptables mode (for allow-listed accounts) needs NET_RAW as well
    Map<String, String> iptables = map(TestPods.load("deployment-pod"), TestPods.settings().kubeProxy(true)
        .kubeProxyMode("iptables").netRawAllowed(true).build()).params();
    assertThat(iptables).containsEntry("Container.2.SecurityContext.Capability.Add.2", "NET_RAW")
        .containsEntry("Container.2.Arg.2", "--proxy-mode=iptables");

    Map<String, String> job = map(TestPods.load("job-pod"), settings).params();
    assertThat(job).doesNotContainValue(KubeProxySidecar.CONTAINER);
  }

  @Test
  void kubeProxyWithoutItsKubeconfigSecretRunsThePodWithAWarning() throws Exception {
    EciSettings settings = TestPods.settings().kubeProxy(true).build();
    PodMapper.MappedPod mapped = map(TestPods.load("deployment-pod"), settings);
    assertThat(mapped.params()).doesNotContainValue(KubeProxySidecar.CONTAINER);
    assertThat(mapped.warnings()).anySatisfy(w -> {
      assertThat(w.reason()).isEqualTo("KubeProxyUnavailable");
      assertThat(w.message()).contains("kube-system/vk4j-kube-proxy").contains("ECI_KUBE_PROXY=false");
    });
  }

  @Test
  void groupNamesFitEcisAlphabet() {
    assertThat(PodMapper.groupName("default", "web.v1_a")).isEqualTo("default-web-v1-a");
    assertThat(PodMapper.groupName("ns", "x".repeat(300))).hasSize(128);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
