package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDNSConfig;
import io.kubernetes.client.openapi.models.V1PodDNSConfigOption;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a pod to the parameters of {@code CreateContainerGroup}. A pure function of the pod, the
 * settings and the cluster objects the pod refers to; the provider adds the vSwitches and the
 * ClientToken for each attempt (see {@link MappedPod}).
 */
final class PodMapper {
  private PodMapper() {}

  /** Something ECI cannot honour but the pod can run without; recorded as a Warning event. */
  record Warning(String reason, String message) {}

  /** The mapping of one pod. */
  record MappedPod(Map<String, String> params, List<String> vSwitches, List<Warning> warnings,
      boolean failOnCreateError, String clientTokenBase) {

    /** The request for one attempt, preferring the zones from {@code vSwitches.get(first)} on. */
    Map<String, String> forAttempt(int first) {
      Map<String, String> request = new java.util.TreeMap<>(params);
      request.put("VSwitchId", String.join(",", vSwitches.subList(first, vSwitches.size())));
      // another token per starting vSwitch: a create refused for lack of stock is a new request
      request.put("ClientToken", first == 0 ? clientTokenBase : clientTokenBase + "-" + first);
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
    EciParams params = new EciParams();
    List<Warning> warnings = new ArrayList<>();
    EciAnnotations.Placement placement = EciAnnotations.apply(pod.getMetadata().getAnnotations(), params);

    params.put("ContainerGroupName", groupName(namespace, name));
    params.put("SecurityGroupId", placement.securityGroup().orElse(settings.securityGroupId()));
    if (!params.has("ResourceGroupId")) {
      settings.resourceGroupId().ifPresent(group -> params.put("ResourceGroupId", group));
    }
    params.put("RestartPolicy", spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy());
    params.put("TerminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds());
    params.put("ActiveDeadlineSeconds", spec.getActiveDeadlineSeconds());
    dns(pod, settings, params);
    params.putEach("HostAliase", spec.getHostAliases(), (alias, a) -> alias.put("Ip", a.getIp())
        .putList("Hostname", a.getHostnames()));
    if (spec.getSecurityContext() != null && spec.getSecurityContext().getSysctls() != null) {
      params.putEach("SecurityContext.Sysctl", spec.getSecurityContext().getSysctls(),
          (sysctl, s) -> sysctl.put("Name", s.getName()).put("Value", s.getValue()));
    }
    params.putEach("Tag", List.copyOf(GroupTags.forPod(settings.clusterId(), settings.nodeName(), namespace, name, uid)
        .entrySet()), (tag, e) -> tag.put("Key", e.getKey()).put("Value", e.getValue()));

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
      ContainerMapper.map(container, params.child("InitContainer." + index++), volumes, warnings);
    }
    index = 1;
    for (V1Container container : spec.getContainers()) {
      if (container.getName().equals(KubeProxySidecar.CONTAINER)) {
        throw new InvalidInputException("InvalidPod", "container name '" + KubeProxySidecar.CONTAINER
            + "' is reserved for the provider's kube-proxy sidecar");
      }
      ContainerMapper.map(container, params.child("Container." + index++), volumes, warnings);
    }
    if (KubeProxySidecar.applies(settings, pod)) {
      Optional<byte[]> kubeconfig = KubeProxySidecar.kubeconfig(settings, resources);
      if (kubeconfig.isPresent()) {
        KubeProxySidecar.writeContainer(params.child("Container." + index), settings, pod);
        KubeProxySidecar.writeVolume(params.child("Volume." + (podVolumes.size() + 1)), kubeconfig.get());
      } else {
        warnings.add(new Warning("KubeProxyUnavailable", KubeProxySidecar.missingMessage(settings)));
      }
    }

    if (!placement.sizedByEci()) {
      ResourceSizing.Size need = ResourceSizing.groupNeed(spec.getContainers(), initContainers);
      if (!need.isZero()) {
        ResourceSizing.Size size = ResourceSizing.fit(need);
        params.put("Cpu", size.cores().toPlainString());
        params.put("Memory", size.gib().toPlainString());
      }
    }
    List<String> vSwitches = placement.vSwitches().orElse(settings.vSwitchIds());
    return new MappedPod(params.toMap(), vSwitches, warnings, placement.failOnCreateError(), clientToken(uid));
  }

  /** ECI's ClientToken: at most 64 ASCII characters, unique per request; the pod UID is. */
  static String clientToken(String uid) {
    return "vk4j-" + uid;
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
