package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds what ECI refuses in a pod's own fields before anything is sent: pod features ECI does not offer (host
 * network, PID and IPC namespaces, privileged containers, DaemonSet pods) and the documented limits on
 * containers (arguments, commands, environment, probes, capabilities) and sysctls. Counts that depend on the
 * mapping (containers with the kube-proxy sidecar, volumes, tags, file sizes) are checked by the mappers.
 */
final class PodValidator {
  private PodValidator() {}

  static EciLimits.Problems validate(V1Pod pod, EciSettings settings) {
    EciLimits.Problems problems = new EciLimits.Problems();
    V1PodSpec spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      problems.unsupported("spec.hostNetwork=true: an ECI container group has its own network, host networking is"
          + " not available");
    }
    if (Boolean.TRUE.equals(spec.getHostPID()) || Boolean.TRUE.equals(spec.getHostIPC())) {
      problems.unsupported("spec.hostPID/hostIPC=true: an ECI container group has no host namespaces to share");
    }
    List<V1OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()))) {
      problems.unsupported("DaemonSet pods do not run on ECI virtual nodes (a virtual node is not a host)");
    }
    sysctls(spec, problems);
    Set<String> capabilities = EciLimits.capabilities(settings);
    List<V1Container> all = new ArrayList<>();
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    all.addAll(spec.getContainers());
    for (V1Container container : all) {
      container(container, capabilities, problems);
    }
    return problems;
  }

  private static void sysctls(V1PodSpec spec, EciLimits.Problems problems) {
    if (spec.getSecurityContext() == null || spec.getSecurityContext().getSysctls() == null) {
      return;
    }
    for (V1Sysctl sysctl : spec.getSecurityContext().getSysctls()) {
      String name = sysctl.getName();
      if (!EciLimits.GROUP_SYSCTLS.contains(name) && !EciLimits.isHostSysctl(name)) {
        problems.limit("spec.securityContext.sysctls[" + name + "]", sysctl.getValue(), "ECI sets "
            + EciLimits.GROUP_SYSCTLS + ", kernel.shm* (not kernel.shm_rmid_forced), kernel.msg*, kernel.sem,"
            + " fs.mqueue.* and net.* (not net.ipv4.tcp_syncookies)");
      }
    }
  }

  private static void container(V1Container c, Set<String> capabilities, EciLimits.Problems problems) {
    String field = "container '" + c.getName() + "' ";
    List<String> args = c.getArgs() == null ? List.of() : c.getArgs();
    if (args.size() > EciLimits.MAX_ARGS) {
      problems.limit(field + "args", args.size() + " arguments", "ECI accepts at most " + EciLimits.MAX_ARGS);
    }
    List<String> command = c.getCommand() == null ? List.of() : c.getCommand();
    if (command.size() > EciLimits.MAX_COMMAND_ENTRIES) {
      problems.limit(field + "command", command.size() + " entries", "ECI accepts at most "
          + EciLimits.MAX_COMMAND_ENTRIES);
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i).length() > EciLimits.MAX_COMMAND_ENTRY_LENGTH) {
        problems.limit(field + "command[" + i + "]", command.get(i), "ECI accepts at most "
            + EciLimits.MAX_COMMAND_ENTRY_LENGTH + " characters per entry");
      }
    }
    for (V1EnvVar env : c.getEnv() == null ? List.<V1EnvVar>of() : c.getEnv()) {
      if (!EciLimits.ENV_NAME.matcher(env.getName()).matches()) {
        problems.limit(field + "env name", env.getName(), "ECI accepts 1 to 128 letters, digits and underscores,"
            + " not starting with a digit");
      }
      if (env.getValue() != null && env.getValue().length() > EciLimits.MAX_ENV_VALUE_LENGTH) {
        problems.limit(field + "env " + env.getName(), env.getValue(), "ECI accepts values of at most "
            + EciLimits.MAX_ENV_VALUE_LENGTH + " characters");
      }
    }
    probe(field + "readinessProbe", c.getReadinessProbe(), problems);
    probe(field + "livenessProbe", c.getLivenessProbe(), problems);
    if (c.getSecurityContext() != null) {
      if (Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())) {
        problems.unsupported(field + "is privileged, which ECI does not offer");
      }
      if (c.getSecurityContext().getCapabilities() != null && c.getSecurityContext().getCapabilities().getAdd() != null) {
        for (String added : c.getSecurityContext().getCapabilities().getAdd()) {
          if (!capabilities.contains(EciLimits.capability(added))) {
            problems.limit(field + "securityContext.capabilities.add", added, "ECI adds only " + capabilities
                + (capabilities.contains("NET_RAW") ? "" : " (NET_RAW too for accounts on ECI's allow list,"
                + " ECI_NET_RAW_ALLOWED=true)"));
          }
        }
      }
    }
  }

  private static void probe(String field, V1Probe probe, EciLimits.Problems problems) {
    if (probe != null && probe.getSuccessThreshold() != null && probe.getSuccessThreshold() != 1) {
      problems.limit(field + ".successThreshold", probe.getSuccessThreshold(), "ECI accepts only 1");
    }
  }
}
