package io.vk4j.provider.eci;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1LifecycleHandler;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps one Kubernetes container to ECI's {@code Container.N.*} (or {@code InitContainer.N.*})
 * parameters. Command and args stay apart: Kubernetes {@code command} overrides the image's
 * entrypoint like ECI's {@code Command}, and {@code args} its arguments like ECI's {@code Arg}.
 */
final class ContainerMapper {
  private ContainerMapper() {}

  /**
   * @param volumes the names of the pod's volumes, to check mounts against
   * @param warnings collects what ECI cannot honour but the pod can run without
   */
  static void map(V1Container container, V1PodSpec pod, EciParams out, Set<String> volumes,
      List<PodMapper.Warning> warnings) throws InvalidInputException {
    String name = container.getName();
    out.put("Name", name);
    out.put("Image", container.getImage());
    out.put("ImagePullPolicy", container.getImagePullPolicy());
    out.putList("Command", forEci(container, container.getCommand()));
    out.putList("Arg", forEci(container, container.getArgs()));
    out.put("WorkingDir", container.getWorkingDir());
    if (Boolean.TRUE.equals(container.getStdin())) {
      out.put("Stdin", true);
      out.put("StdinOnce", Boolean.TRUE.equals(container.getStdinOnce()));
    }
    if (Boolean.TRUE.equals(container.getTty())) {
      out.put("Tty", true);
    }
    out.put("TerminationMessagePath", container.getTerminationMessagePath());
    // ECI's only documented value; Kubernetes' default File is ECI's default (the parameter empty)
    if ("FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
      out.put("TerminationMessagePolicy", "FallbackToLogsOnError");
    }

    ResourceSizing.Size size = ResourceSizing.containerSize(container);
    if (size.cores().signum() > 0) {
      out.put("Cpu", size.cores().toPlainString());
    }
    if (size.gib().signum() > 0) {
      out.put("Memory", size.gib().toPlainString());
    }
    int gpus = ResourceSizing.gpus(container);
    if (gpus > 0) {
      out.put("Gpu", gpus);
    }

    env(container, out);
    out.putEach("Port", container.getPorts(), (port, p) -> port.put("Port", p.getContainerPort())
        .put("Protocol", p.getProtocol() == null ? "TCP" : p.getProtocol()));
    mounts(container, out, volumes);
    probe(container, "readinessProbe", container.getReadinessProbe(), out.child("ReadinessProbe"));
    probe(container, "livenessProbe", container.getLivenessProbe(), out.child("LivenessProbe"));
    if (container.getStartupProbe() != null) {
      warnings.add(new PodMapper.Warning("EciUnsupportedField", "container '" + name
          + "': ECI has no startup probe; it is ignored (liveness checks start after their initialDelaySeconds)"));
    }
    securityContext(container, pod, out, warnings);
    if (container.getLifecycle() != null) {
      handler(container, "postStart", container.getLifecycle().getPostStart(), out, "LifecyclePostStartHandler");
      handler(container, "preStop", container.getLifecycle().getPreStop(), out, "LifecyclePreStopHandler");
    }
  }

  private static void env(V1Container container, EciParams out) throws InvalidInputException {
    List<V1EnvVar> env = container.getEnv() == null ? List.of() : container.getEnv();
    int index = 1;
    for (V1EnvVar var : env) {
      EciParams entry = out.child("EnvironmentVar." + index++);
      entry.put("Key", var.getName());
      if (var.getValueFrom() == null) {
        entry.put("Value", var.getValue() == null ? "" : forEci(container, var.getValue()));
      } else if (PodEnvironment.isDeferred(var)) {
        // an ECI instance is its own host: its host IP is its pod IP, which ECI fills in itself
        entry.put("FieldRef.FieldPath", "status.podIP");
      } else if (var.getValueFrom().getFieldRef() != null) {
        entry.put("FieldRef.FieldPath", var.getValueFrom().getFieldRef().getFieldPath());
      } else {
        throw new InvalidInputException("InvalidEnv", "container '" + container.getName() + "': variable '"
            + var.getName() + "' still refers to a source the runtime should have resolved");
      }
    }
  }

  /**
   * In a container with deferred variables the runtime hands over templates ({@code $} escaped as
   * {@code $$}, references to the deferred variables left as {@code $(NAME)}). ECI fills in the
   * deferred variables itself, so the escapes are undone here and the references passed on.
   */
  private static String forEci(V1Container container, String value) {
    return PodEnvironment.hasDeferred(container) ? PodEnvironment.expand(value, Map.of()) : value;
  }

  private static List<String> forEci(V1Container container, List<String> values) {
    return values == null || !PodEnvironment.hasDeferred(container) ? values
        : values.stream().map(v -> PodEnvironment.expand(v, Map.of())).toList();
  }

  private static void mounts(V1Container container, EciParams out, Set<String> volumes) throws InvalidInputException {
    List<V1VolumeMount> mounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
    int index = 1;
    for (V1VolumeMount mount : mounts) {
      if (!volumes.contains(mount.getName())) {
        throw new InvalidInputException("InvalidVolumeMount", "container '" + container.getName() + "' mounts volume '"
            + mount.getName() + "', which the pod does not declare");
      }
      if (mount.getSubPathExpr() != null) {
        throw new InvalidInputException("UnsupportedVolumeMount", "container '" + container.getName()
            + "' mounts volume '" + mount.getName() + "' with subPathExpr, which ECI does not expand");
      }
      EciParams entry = out.child("VolumeMount." + index++);
      entry.put("Name", mount.getName());
      entry.put("MountPath", mount.getMountPath());
      entry.put("ReadOnly", Boolean.TRUE.equals(mount.getReadOnly()));
      entry.put("SubPath", mount.getSubPath());
      entry.put("MountPropagation", mount.getMountPropagation());
    }
  }

  private static void probe(V1Container container, String kind, V1Probe probe, EciParams out)
      throws InvalidInputException {
    if (probe == null) {
      return;
    }
    out.put("InitialDelaySeconds", probe.getInitialDelaySeconds());
    out.put("PeriodSeconds", probe.getPeriodSeconds());
    out.put("SuccessThreshold", probe.getSuccessThreshold());
    out.put("FailureThreshold", probe.getFailureThreshold());
    out.put("TimeoutSeconds", probe.getTimeoutSeconds());
    if (probe.getExec() != null) {
      out.putList("Exec.Command", probe.getExec().getCommand());
    } else if (probe.getHttpGet() != null) {
      V1HTTPGetAction http = probe.getHttpGet();
      out.put("HttpGet.Path", http.getPath() == null ? "/" : http.getPath());
      out.put("HttpGet.Port", port(container, kind, http.getPort()));
      out.put("HttpGet.Scheme", http.getScheme() == null ? "HTTP" : http.getScheme());
    } else if (probe.getTcpSocket() != null) {
      out.put("TcpSocket.Port", port(container, kind, probe.getTcpSocket().getPort()));
    } else {
      throw new InvalidInputException("UnsupportedProbe", "container '" + container.getName() + "': the " + kind
          + " is neither exec, httpGet nor tcpSocket, the probes ECI runs");
    }
  }

  private static void handler(V1Container container, String kind, V1LifecycleHandler handler, EciParams out,
      String prefix) throws InvalidInputException {
    if (handler == null) {
      return;
    }
    if (handler.getExec() != null) {
      out.putList(prefix + "Exec", handler.getExec().getCommand());
    } else if (handler.getHttpGet() != null) {
      V1HTTPGetAction http = handler.getHttpGet();
      out.put(prefix + "HttpGetHost", http.getHost());
      out.put(prefix + "HttpGetPath", http.getPath());
      out.put(prefix + "HttpGetPort", port(container, kind, http.getPort()));
      out.put(prefix + "HttpGetScheme", http.getScheme());
    } else if (handler.getTcpSocket() != null) {
      out.put(prefix + "TcpSocketHost", handler.getTcpSocket().getHost());
      out.put(prefix + "TcpSocketPort", port(container, kind, handler.getTcpSocket().getPort()));
    } else {
      throw new InvalidInputException("UnsupportedLifecycleHandler", "container '" + container.getName()
          + "': the " + kind + " hook is neither exec, httpGet nor tcpSocket");
    }
  }

  /** A numeric port, or a named one resolved against the container's ports. */
  private static int port(V1Container container, String kind, IntOrString port) throws InvalidInputException {
    if (port == null) {
      throw new InvalidInputException("InvalidPort", "container '" + container.getName() + "': the " + kind
          + " has no port");
    }
    if (port.isInteger()) {
      return port.getIntValue();
    }
    List<V1ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
    return ports.stream().filter(p -> port.getStrValue().equals(p.getName())).findFirst()
        .map(V1ContainerPort::getContainerPort)
        .orElseThrow(() -> new InvalidInputException("InvalidPort", "container '" + container.getName() + "': the "
            + kind + " names port '" + port.getStrValue() + "', which the container does not declare"));
  }

  /**
   * Capabilities to add (checked by {@link PodValidator}), a read-only root filesystem (ECI takes only
   * {@code true}; {@code false} is its default), and the user, from the container or else the pod.
   */
  private static void securityContext(V1Container container, V1PodSpec pod, EciParams out,
      List<PodMapper.Warning> warnings) {
    V1SecurityContext context = container.getSecurityContext();
    V1PodSecurityContext podContext = pod.getSecurityContext();
    Long runAsUser = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
        : podContext == null ? null : podContext.getRunAsUser();
    out.put("SecurityContext.RunAsUser", runAsUser);
    if (context == null) {
      return;
    }
    if (context.getCapabilities() != null) {
      List<String> add = context.getCapabilities().getAdd();
      if (add != null) {
        out.putList("SecurityContext.Capability.Add", add.stream().map(EciLimits::capability).toList());
      }
      if (context.getCapabilities().getDrop() != null && !context.getCapabilities().getDrop().isEmpty()) {
        warnings.add(new PodMapper.Warning("EciUnsupportedField", "container '" + container.getName()
            + "': ECI cannot drop capabilities; capabilities.drop " + context.getCapabilities().getDrop() + " is ignored"));
      }
    }
    if (Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
      out.put("SecurityContext.ReadOnlyRootFilesystem", true);
    }
  }
}
