package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.ProviderException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * With {@code ECI_KUBE_PROXY=true}, each long-running container group gets a kube-proxy container
 * beside the pod's own: it shares the group's network namespace, watches Services and
 * EndpointSlices with a dedicated, least-privilege kubeconfig (from a Secret the operator creates),
 * and programs nftables (or iptables) so ClusterIP Services resolve inside the group. That is one watch
 * connection per pod to the API server, which is why large installations turn it off and use
 * PrivateZone instead. Run-to-completion pods (restartPolicy Never or OnFailure) get no sidecar:
 * it would keep their group from ever finishing. The sidecar is hidden from the pod's status. When
 * the kubeconfig Secret is missing the pod still runs, without the sidecar, and a Warning event
 * says it cannot reach ClusterIP Services: a forgotten Secret must not stop every workload.
 */
final class KubeProxySidecar {
  private KubeProxySidecar() {}

  static final String CONTAINER = "vk4j-kube-proxy";
  static final String VOLUME = "vk4j-kube-proxy";
  private static final String MOUNT = "/var/lib/vk4j-kube-proxy";

  static boolean applies(EciSettings settings, V1Pod pod) {
    String restartPolicy = pod.getSpec().getRestartPolicy();
    return settings.kubeProxy() && (restartPolicy == null || restartPolicy.equals("Always"));
  }

  /** The kubeconfig the sidecar uses, from the configured Secret's {@code kubeconfig} key. */
  static Optional<byte[]> kubeconfig(EciSettings settings, ClusterResources resources) throws ProviderException {
    String[] ref = settings.kubeProxyKubeconfigSecret().split("/", 2);
    Optional<V1Secret> secret = resources.secret(ref[0], ref[1]);
    return secret.map(V1Secret::getData).map(d -> d.get("kubeconfig"));
  }

  static String missingMessage(EciSettings settings) {
    return "ECI_KUBE_PROXY is true but Secret " + settings.kubeProxyKubeconfigSecret() + " has no 'kubeconfig' key:"
        + " this pod runs without kube-proxy and cannot reach ClusterIP Services; create the Secret"
        + " (docs/eci-provider.md) or set ECI_KUBE_PROXY=false";
  }

  static void writeVolume(EciParams volume, byte[] kubeconfig) {
    volume.put("Name", VOLUME);
    volume.put("Type", "ConfigFileVolume");
    volume.put("ConfigFileVolume.DefaultMode", VolumeMapper.fileMode(0400));
    volume.put("ConfigFileVolume.ConfigFileToPath.1.Path", "kubeconfig");
    volume.put("ConfigFileVolume.ConfigFileToPath.1.Content", Base64.getEncoder().encodeToString(kubeconfig));
  }

  /**
   * What the sidecar adds: nftables (netlink only) needs NET_ADMIN, which ECI grants every account; the
   * iptables binaries open raw sockets and need NET_RAW too, which ECI grants allow-listed accounts only.
   */
  static List<String> capabilities(EciSettings settings) {
    return settings.kubeProxyMode().equals("iptables") ? List.of("NET_ADMIN", "NET_RAW") : List.of("NET_ADMIN");
  }

  static void writeContainer(EciParams container, EciSettings settings, V1Pod pod) {
    container.put("Name", CONTAINER);
    container.put("Image", settings.kubeProxyImage());
    container.put("ImagePullPolicy", "IfNotPresent");
    container.putList("Command", List.of("kube-proxy"));
    container.putList("Arg", List.of(
        "--kubeconfig=" + MOUNT + "/kubeconfig",
        "--proxy-mode=" + settings.kubeProxyMode(),
        "--hostname-override=" + pod.getMetadata().getName(),
        // leave the group's kernel settings alone: no conntrack sysctls to write
        "--conntrack-max-per-core=0",
        "--conntrack-tcp-timeout-established=0s",
        "--conntrack-tcp-timeout-close-wait=0s",
        "--healthz-bind-address=127.0.0.1:10256",
        "--metrics-bind-address=127.0.0.1:10249"));
    container.putList("SecurityContext.Capability.Add", capabilities(settings));
    container.put("VolumeMount.1.Name", VOLUME);
    container.put("VolumeMount.1.MountPath", MOUNT);
    container.put("VolumeMount.1.ReadOnly", true);
  }
}
