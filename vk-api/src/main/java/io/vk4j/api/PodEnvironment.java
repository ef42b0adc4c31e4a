package io.vk4j.api;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a pod's environment that only the provider can resolve, and Kubernetes'
 * {@code $(VAR)} syntax.
 *
 * <p>The runtime resolves every {@code env} and {@code envFrom} entry before {@link
 * Provider#createPod}, except those whose {@code fieldRef} names a {@linkplain #DEFERRED_FIELDS
 * deferred field}: the pod's and host's IP are not known until the backend has placed the pod.
 *
 * <ul>
 *   <li>A container without deferred variables gets final values: every reference is expanded,
 *       {@code $$} escapes are applied. Nothing is left to do.
 *   <li>A container with deferred variables keeps them with their {@code valueFrom.fieldRef}, and its
 *       other values, commands and arguments are <em>templates</em> in Kubernetes' syntax: what the
 *       runtime resolved is filled in with every {@code $} escaped as {@code $$}, and only the
 *       references to deferred variables are left as {@code $(NAME)}. A backend that expands
 *       references itself (as a kubelet does) passes the container on as it is; any other calls
 *       {@link #resolveAddresses} once it knows the addresses.
 * </ul>
 *
 * So every reference is expanded exactly once: {@code $$(POD_IP)} and a ConfigMap value containing
 * the text {@code $(POD_IP)} both reach the container as the literal {@code $(POD_IP)}.
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

  /** Whether {@code container} has deferred variables, so that its values are templates. */
  public static boolean hasDeferred(V1Container container) {
    return container.getEnv() != null && container.getEnv().stream().anyMatch(PodEnvironment::isDeferred);
  }

  /**
   * Replaces, in {@code pod} itself, every deferred variable by its value and expands the templates
   * of the containers that had some. Calling it again changes nothing: afterwards no container has
   * deferred variables.
   */
  public static void resolveAddresses(V1Pod pod, String podIp, String hostIp) {
    Map<String, String> fields = Map.of(
        "status.podIP", podIp, "status.podIPs", podIp, "status.hostIP", hostIp, "status.hostIPs", hostIp);
    for (V1Container container : PodContainers.all(pod)) {
      if (!hasDeferred(container)) {
        continue;
      }
      Map<String, String> deferred = new HashMap<>();
      for (V1EnvVar var : container.getEnv()) {
        if (isDeferred(var)) {
          deferred.put(var.getName(), fields.get(var.getValueFrom().getFieldRef().getFieldPath()));
        }
      }
      for (V1EnvVar var : container.getEnv()) {
        if (isDeferred(var)) {
          var.setValueFrom(null);
          var.setValue(deferred.get(var.getName()));
        } else if (var.getValueFrom() == null) {
          var.setValue(expand(var.getValue(), deferred));
        }
      }
      container.setCommand(expandAll(container.getCommand(), deferred));
      container.setArgs(expandAll(container.getArgs(), deferred));
    }
  }

  private static List<String> expandAll(List<String> values, Map<String, String> vars) {
    return values == null ? null : values.stream().map(v -> expand(v, vars)).toList();
  }

  /**
   * Kubernetes' expansion: {@code $(NAME)} becomes the value of NAME when {@code vars} defines it
   * and stays as written otherwise; {@code $$} is a literal {@code $}, so {@code $$(NAME)} yields
   * {@code $(NAME)}; any other {@code $} is kept.
   */
  public static String expand(String input, Map<String, String> vars) {
    return scan(input, vars, false);
  }

  /**
   * A template of {@code input} for {@link #expand}: references to names in {@code templates} are
   * replaced by their templates, everything else is escaped, so that expanding the result with the
   * variables the templates still refer to yields what expanding {@code input} would.
   */
  public static String template(String input, Map<String, String> templates) {
    return scan(input, templates, true);
  }

  /** {@code text} escaped, so that {@link #expand} yields it unchanged. */
  public static String escape(String text) {
    return text == null ? null : text.replace("$", "$$");
  }

  private static String scan(String input, Map<String, String> vars, boolean template) {
    if (input == null || input.indexOf('$') < 0) {
      return input;
    }
    String dollar = template ? "$$" : "$";
    StringBuilder out = new StringBuilder(input.length());
    int i = 0;
    int n = input.length();
    while (i < n) {
      char c = input.charAt(i);
      if (c != '$' || i + 1 >= n) {
        out.append(c == '$' ? dollar : String.valueOf(c));
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      int close = next == '(' ? input.indexOf(')', i + 2) : -1;
      if (next == '$') {
        out.append(dollar);
        i += 2;
      } else if (close >= 0) {
        String name = input.substring(i + 2, close);
        String value = vars.get(name);
        out.append(value != null ? value : dollar + "(" + name + ")");
        i = close + 1;
      } else {
        out.append(dollar);
        i++;
      }
    }
    return out.toString();
  }
}
