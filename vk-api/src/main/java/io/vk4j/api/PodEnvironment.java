package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a pod's environment that only the provider can resolve.
 *
 * <p>The runtime resolves every {@code env} and {@code envFrom} entry before {@link
 * Provider#createPod}, except those whose {@code fieldRef} names a {@linkplain #DEFERRED_FIELDS
 * deferred field}: the pod's and host's IP are not known until the backend has placed the pod. Those
 * keep their {@code valueFrom.fieldRef}, and {@code $(NAME)} references to them stay unexpanded in
 * other variables, commands and arguments. A backend that resolves such references itself passes
 * them on; any other calls {@link #resolveAddresses} once it knows the addresses.
 */
public final class PodEnvironment {
  private PodEnvironment() {}

  /** Field paths whose values the provider supplies. */
  public static final Set<String> DEFERRED_FIELDS =
      Set.of("status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs");

  /** Whether {@code var} takes its value from a deferred field. */
  public static boolean isDeferred(V1EnvVar var) {
    return var.getValueFrom() != null
        && var.getValueFrom().getFieldRef() != null
        && DEFERRED_FIELDS.contains(var.getValueFrom().getFieldRef().getFieldPath());
  }

  /**
   * Replaces, in {@code pod} itself, every deferred variable by its value, and expands references to
   * them in the values of other variables, in commands and in arguments.
   */
  public static void resolveAddresses(V1Pod pod, String podIp, String hostIp) {
    if (pod.getSpec() == null) {
      return;
    }
    Map<String, String> fields = Map.of(
        "status.podIP", podIp, "status.podIPs", podIp, "status.hostIP", hostIp, "status.hostIPs", hostIp);
    List<V1Container> containers = new ArrayList<>(pod.getSpec().getContainers());
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    for (V1Container container : containers) {
      if (container.getEnv() == null) {
        continue;
      }
      Map<String, String> resolved = new HashMap<>();
      for (V1EnvVar var : container.getEnv()) {
        if (isDeferred(var)) {
          String value = fields.get(var.getValueFrom().getFieldRef().getFieldPath());
          var.setValueFrom(null);
          var.setValue(value);
          resolved.put(var.getName(), value);
        } else if (var.getValue() != null) {
          var.setValue(expand(var.getValue(), resolved));
        }
      }
      if (resolved.isEmpty()) {
        continue;
      }
      container.setCommand(expandAll(container.getCommand(), resolved));
      container.setArgs(expandAll(container.getArgs(), resolved));
    }
  }

  private static List<String> expandAll(List<String> values, Map<String, String> vars) {
    return values == null ? null : values.stream().map(v -> expand(v, vars)).toList();
  }

  private static String expand(String value, Map<String, String> vars) {
    String result = value;
    for (Map.Entry<String, String> var : vars.entrySet()) {
      result = result.replace("$(" + var.getKey() + ")", var.getValue());
    }
    return result;
  }

}
