package io.vk4j.provider.eci;

import com.google.common.hash.Hashing;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDNSConfig;
import io.kubernetes.client.openapi.models.V1PodDNSConfigOption;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Sysctl;
import io.kubernetes.client.openapi.models.V1Volume;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a pod to the parameters of {@code CreateContainerGroup}. A pure function of the pod, the settings and
 * the cluster objects the pod refers to; what ECI would refuse fails the pod here, before any call (see
 * {@link PodValidator} and {@link EciLimits}). The provider picks the size and the vSwitches of each attempt
 * (see {@link MappedPod}).
 */
final class PodMapper {
  private PodMapper() {}

  /** Something ECI cannot honour but the pod can run without; recorded as a Warning event. */
  record Warning(String reason, String message) {}

  /** The mapping of one pod. */
  record MappedPod(Map<String, String> params, List<String> vSwitches, List<EciAnnotations.InstanceSpec> specs,
      List<Warning> warnings, boolean failFast, String clientTokenBase) {

    /**
     * The request that creates the group with size {@code spec} in {@code candidates} (vSwitches, in
     * preference order); {@code generation} counts the groups made for the pod before (one ECI could not
     * schedule is replaced by a new one). Its ClientToken is the same for the same request, so a create whose
     * answer was lost is retried without making a second group, and differs for any other request.
     */
    Map<String, String> request(int spec, List<String> candidates, int generation) {
      Map<String, String> request = new TreeMap<>(params);
      EciAnnotations.InstanceSpec size = specs.get(spec);
      size.instanceTypes().ifPresent(types -> request.put("InstanceType", types));
      size.size().ifPresent(s -> {
        request.put("Cpu", s.cores().toPlainString());
        request.put("Memory", s.gib().toPlainString());
      });
      request.put("VSwitchId", String.join(",", candidates));
      boolean first = spec == 0 && generation == 0 && candidates.equals(vSwitches);
      request.put("ClientToken", first ? clientTokenBase : clientTokenBase + "-" + Hashing.murmur3_32_fixed()
          .hashString(generation + "|" + spec + "|" + candidates, StandardCharsets.UTF_8));
      return request;
    }
  }

  static MappedPod map(V1Pod pod, EciSettings settings, ClusterResources resources) throws ProviderException {
    V1PodSpec spec = pod.getSpec();
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
      throw new InvalidInputException("InvalidPod", "pod " + namespace + "/" + name + " has no containers");
    }
    PodValidator.validate(pod, settings).throwIfAny();
    EciParams params = new EciParams();
    List<Warning> warnings = new ArrayList<>();
    EciAnnotations.Placement placement = EciAnnotations.apply(pod.getMetadata().getAnnotations(), params);

    params.put("ContainerGroupName", groupName(namespace, name));
    params.put("HostName", hostName(pod));
    params.put("SecurityGroupId", placement.securityGroups().orElse(settings.securityGroupId()));
    if (!params.has("ResourceGroupId")) {
      settings.resourceGroupId().ifPresent(group -> params.put("ResourceGroupId", group));
    }
    params.put("RestartPolicy", spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy());
    params.put("TerminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds());
    params.put("ActiveDeadlineSeconds", spec.getActiveDeadlineSeconds());
    dns(pod, settings, params);
    params.putEach("HostAliase", spec.getHostAliases(), (alias, a) -> alias.put("Ip", a.getIp())
        .putList("Hostname", a.getHostnames()));
    sysctls(spec, params);
    Map<String, String> tags = GroupTags.forPod(settings.clusterId(), settings.nodeName(), namespace, name, uid);
    tags.putAll(placement.customTags());
    params.putEach("Tag", List.copyOf(tags.entrySet()), (tag, e) -> tag.put("Key", e.getKey()).put("Value", e.getValue()));

    PullSecrets.Result pullSecrets = PullSecrets.resolve(pod, resources);
    // the kubelet's reason for the same situation
    pullSecrets.warnings().forEach(w -> warnings.add(new Warning("FailedToRetrieveImagePullSecret", w)));
    params.putEach("ImageRegistryCredential", pullSecrets.credentials(), (credential, c) ->
        credential.put("Server", c.server()).put("UserName", c.userName()).put("Password", c.password()));

    VolumeMapper.map(pod, resources, params);
    Set<String> volumes = new HashSet<>();
    List<V1Volume> podVolumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    podVolumes.forEach(v -> volumes.add(v.getName()));

    List<V1Container> initContainers = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    int index = 1;
    for (V1Container container : initContainers) {
      ContainerMapper.map(container, spec, params.child("InitContainer." + index++), volumes, warnings);
    }
    index = 1;
    for (V1Container container : spec.getContainers()) {
      if (container.getName().equals(KubeProxySidecar.CONTAINER)) {
        throw new InvalidInputException("InvalidPod", "container name '" + KubeProxySidecar.CONTAINER
            + "' is reserved for the provider's kube-proxy sidecar");
      }
      ContainerMapper.map(container, spec, params.child("Container." + index++), volumes, warnings);
    }
    int containers = initContainers.size() + spec.getContainers().size();
    int volumeCount = podVolumes.size();
    if (KubeProxySidecar.applies(settings, pod)) {
      Optional<byte[]> kubeconfig = KubeProxySidecar.kubeconfig(settings, resources);
      if (kubeconfig.isPresent()) {
        KubeProxySidecar.writeContainer(params.child("Container." + index), settings, pod);
        KubeProxySidecar.writeVolume(params.child("Volume." + (podVolumes.size() + 1)), kubeconfig.get());
        containers++;
        volumeCount++;
      } else {
        warnings.add(new Warning("KubeProxyUnavailable", KubeProxySidecar.missingMessage(settings)));
      }
    }
    EciLimits.Problems problems = new EciLimits.Problems();
    if (containers > EciLimits.MAX_CONTAINERS) {
      problems.limit("containers and init containers" + (containers > initContainers.size() + spec.getContainers().size()
          ? " (with the kube-proxy sidecar)" : ""), containers, "ECI runs at most " + EciLimits.MAX_CONTAINERS);
    }
    if (volumeCount > EciLimits.MAX_VOLUMES) {
      problems.limit("volumes", volumeCount, "ECI mounts at most " + EciLimits.MAX_VOLUMES);
    }
    if (tags.size() > EciLimits.MAX_TAGS) {
      problems.limit("tags (vk4j's and " + EciAnnotations.CUSTOM_TAGS + ")", tags.size(), "ECI takes at most "
          + EciLimits.MAX_TAGS);
    }
    problems.throwIfAny();

    List<EciAnnotations.InstanceSpec> specs = sizes(pod, placement, initContainers);
    List<String> vSwitches = placement.vSwitches().orElse(settings.vSwitchIds());
    return new MappedPod(params.toMap(), vSwitches, specs, warnings, placement.failFast(), clientToken(uid));
  }

  /**
   * The sizes to try, in order: the annotation's (GPU pods need GPU instance types, which ECI does not pick
   * from vCPU and memory), else the smallest ECI vCPU/memory specification that holds the pod.
   */
  private static List<EciAnnotations.InstanceSpec> sizes(V1Pod pod, EciAnnotations.Placement placement,
      List<V1Container> initContainers) throws InvalidInputException {
    List<V1Container> all = new ArrayList<>(pod.getSpec().getContainers());
    all.addAll(initContainers);
    int gpus = all.stream().mapToInt(ResourceSizing::gpus).max().orElse(0);
    List<EciAnnotations.InstanceSpec> specs = placement.specs();
    if (gpus > 0) {
      if (specs.isEmpty() && placement.gpuType().isPresent() && gpus == 1) {
        specs = List.of(new EciAnnotations.InstanceSpec(
            Optional.of(EciAnnotations.GPU_INSTANCE_TYPES.get(placement.gpuType().get())), Optional.empty()));
      }
      if (specs.isEmpty()) {
        throw new InvalidInputException("GpuInstanceTypeRequired", "the pod asks for " + gpus + " nvidia.com/gpu, and ECI"
            + " does not pick GPU instance types from vCPU and memory: name one with " + EciAnnotations.USE_SPECS
            + " (for example ecs.gn6i-c4g1.xlarge, one NVIDIA T4)"
            + (gpus == 1 ? " or the GPU model with " + EciAnnotations.GPU_TYPE + " (P4, T4, V100, A10)" : ""));
      }
      for (EciAnnotations.InstanceSpec spec : specs) {
        boolean gpuTypes = spec.instanceTypes().map(types -> List.of(types.split(",")).stream()
            .allMatch(t -> EciAnnotations.GPU_ECS_TYPE.matcher(t).matches())).orElse(false);
        if (!gpuTypes) {
          throw new InvalidInputException("InvalidAnnotation", "annotation " + EciAnnotations.USE_SPECS + "='"
              + spec.shape() + "' is invalid: the pod asks for nvidia.com/gpu, which only GPU instance types"
              + " (ecs.gn*) serve");
        }
      }
    } else if (placement.gpuType().isPresent()) {
      throw new InvalidInputException("InvalidAnnotation", "annotation " + EciAnnotations.GPU_TYPE + "='"
          + placement.gpuType().get() + "' is invalid: no container asks for nvidia.com/gpu");
    }
    if (placement.cpuOptions() && specs.stream().noneMatch(s -> s.instanceTypes().isPresent())) {
      throw new InvalidInputException("InvalidAnnotation", "annotations " + EciAnnotations.CPU_OPTION_CORE + " and "
          + EciAnnotations.CPU_OPTION_HT + " apply to ECS instance types only: name one with " + EciAnnotations.USE_SPECS);
    }
    if (!specs.isEmpty()) {
      return specs;
    }
    ResourceSizing.Size need = ResourceSizing.groupNeed(pod.getSpec().getContainers(), initContainers);
    return List.of(new EciAnnotations.InstanceSpec(Optional.empty(),
        need.isZero() ? Optional.empty() : Optional.of(ResourceSizing.fit(need))));
  }

  /** Pod sysctls where ECI takes them: the two safe ones on the group, the others on the host side. */
  private static void sysctls(V1PodSpec spec, EciParams params) {
    if (spec.getSecurityContext() == null || spec.getSecurityContext().getSysctls() == null) {
      return;
    }
    List<V1Sysctl> group = new ArrayList<>();
    List<V1Sysctl> host = new ArrayList<>();
    for (V1Sysctl sysctl : spec.getSecurityContext().getSysctls()) {
      (EciLimits.GROUP_SYSCTLS.contains(sysctl.getName()) ? group : host).add(sysctl);
    }
    params.putEach("SecurityContext.Sysctl", group, (out, s) -> out.put("Name", s.getName()).put("Value", s.getValue()));
    // after any eci-host-sysctls entries
    int offset = 0;
    while (params.has("HostSecurityContext.Sysctl." + (offset + 1) + ".Name")) {
      offset++;
    }
    for (int i = 0; i < host.size(); i++) {
      params.child("HostSecurityContext.Sysctl." + (offset + i + 1)).put("Name", host.get(i).getName())
          .put("Value", host.get(i).getValue());
    }
  }

  /** ECI's ClientToken: at most 64 ASCII characters, unique per request; the pod UID is. */
  static String clientToken(String uid) {
    return "vk4j-" + uid;
  }

  /**
   * The pod's host name, as a kubelet gives it: {@code spec.hostname}, else the pod name (StatefulSet pods
   * rely on it), at most 63 characters.
   */
  static String hostName(V1Pod pod) {
    String hostName = pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : pod.getMetadata().getName();
    if (hostName.length() > EciLimits.MAX_HOST_NAME) {
      hostName = hostName.substring(0, EciLimits.MAX_HOST_NAME).replaceAll("[-.]+$", "");
    }
    return hostName;
  }

  /**
   * A readable group name: {@code <namespace>-<pod>} in ECI's alphabet (lower-case letters, digits,
   * hyphens; at most 128). Names need not be unique: the tags identify the pod.
   */
  static String groupName(String namespace, String name) {
    String raw = (namespace + "-" + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String trimmed = raw.length() > 128 ? raw.substring(0, 128) : raw;
    trimmed = trimmed.replaceAll("^-+", "").replaceAll("-+$", "");
    return trimmed.length() < 2 ? "vk4j-" + trimmed : trimmed;
  }

  private static void dns(V1Pod pod, EciSettings settings, EciParams params) {
    V1PodSpec spec = pod.getSpec();
    String policy = spec.getDnsPolicy() == null ? "ClusterFirst" : spec.getDnsPolicy();
    V1PodDNSConfig config = spec.getDnsConfig();
    List<String> nameServers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<V1PodDNSConfigOption> options = new ArrayList<>();
    boolean clusterFirst = policy.startsWith("ClusterFirst") && !settings.clusterDns().isEmpty();
    if (clusterFirst) {
      // the cluster's DNS, as a kubelet would configure it
      String domain = settings.clusterDomain();
      nameServers.addAll(settings.clusterDns());
      searches.addAll(List.of(pod.getMetadata().getNamespace() + ".svc." + domain, "svc." + domain, domain));
      options.add(new V1PodDNSConfigOption().name("ndots").value("5"));
    }
    if (config != null) {
      if (config.getNameservers() != null) {
        nameServers.addAll(config.getNameservers());
      }
      if (config.getSearches() != null) {
        searches.addAll(config.getSearches());
      }
      if (config.getOptions() != null) {
        options.removeIf(o -> config.getOptions().stream().anyMatch(c -> c.getName().equals(o.getName())));
        options.addAll(config.getOptions());
      }
    }
    params.put("DnsPolicy", clusterFirst || policy.equals("None") ? "None" : "Default");
    params.putList("DnsConfig.NameServer", nameServers);
    params.putList("DnsConfig.Search", searches);
    params.putEach("DnsConfig.Option", options, (option, o) -> option.put("Name", o.getName()).put("Value", o.getValue()));
  }
}
