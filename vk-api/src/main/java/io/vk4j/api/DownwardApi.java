package io.vk4j.api;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The values of the downward API ({@code fieldRef} and {@code resourceFieldRef}) as the kubelet
 * computes them, for environment variables and for downward API volumes alike. The runtime uses it
 * for the environment; a provider uses it for the volumes it writes.
 */
public final class DownwardApi {
  private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private DownwardApi() {}

  /**
   * The value of a {@code fieldRef} known before the pod runs: {@code metadata.name},
   * {@code metadata.namespace}, {@code metadata.uid}, {@code metadata.labels},
   * {@code metadata.annotations}, {@code metadata.labels['key']}, {@code metadata.annotations['key']},
   * {@code spec.nodeName}, {@code spec.serviceAccountName}. A field that is not set is the empty
   * string. The addresses ({@link PodEnvironment#DEFERRED_FIELDS}) are not known yet.
   *
   * @throws IllegalArgumentException for any other field path
   */
  public static String fieldValue(V1Pod pod, String fieldPath) {
    V1ObjectMeta metadata = pod.getMetadata();
    switch (fieldPath) {
      case "metadata.name":
        return nullToEmpty(metadata.getName());
      case "metadata.namespace":
        return nullToEmpty(metadata.getNamespace());
      case "metadata.uid":
        return nullToEmpty(metadata.getUid());
      case "metadata.labels":
        return formatMap(metadata.getLabels());
      case "metadata.annotations":
        return formatMap(metadata.getAnnotations());
      case "spec.nodeName":
        return pod.getSpec() == null ? "" : nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName":
        return pod.getSpec() == null ? "" : nullToEmpty(pod.getSpec().getServiceAccountName());
      default:
        Matcher subscript = SUBSCRIPT.matcher(fieldPath);
        if (subscript.matches()) {
          Map<String, String> map = subscript.group(1).equals("labels") ? metadata.getLabels() : metadata.getAnnotations();
          return map == null ? "" : nullToEmpty(map.get(subscript.group(2)));
        }
        throw new IllegalArgumentException("unsupported fieldRef " + fieldPath);
    }
  }

  /**
   * The value of a {@code resourceFieldRef}: the container's limit or request of cpu, memory or
   * ephemeral-storage divided by the divisor and rounded up (cpu in whole millicores first, as the
   * kubelet does). A limit the container does not set is taken from {@code limitsWhenUnset} (the
   * kubelet takes the node's allocatable amount); a request it does not set is 0.
   *
   * @throws IllegalArgumentException for a resource that is not supported or a zero divisor
   */
  public static String resourceValue(V1ResourceFieldSelector selector, V1Container container,
      Map<String, Quantity> limitsWhenUnset) {
    String resource = selector.getResource();
    int dot = resource == null ? -1 : resource.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("unsupported resource " + resource);
    }
    String kind = resource.substring(0, dot);
    String name = resource.substring(dot + 1);
    if (!name.equals("cpu") && !name.equals("memory") && !name.equals("ephemeral-storage")) {
      throw new IllegalArgumentException("unsupported resource " + resource);
    }
    V1ResourceRequirements resources = container.getResources();
    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
    Quantity amount;
    switch (kind) {
      case "limits" -> {
        amount = limits == null ? null : limits.get(name);
        if (amount == null) {
          amount = limitsWhenUnset.get(name);
        }
      }
      case "requests" -> amount = requests == null ? null : requests.get(name);
      default -> throw new IllegalArgumentException("unsupported resource " + resource);
    }
    BigDecimal value = amount == null ? BigDecimal.ZERO : amount.getNumber();
    BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : selector.getDivisor().getNumber();
    if (divisor.signum() == 0) {
      throw new IllegalArgumentException("divisor of " + resource + " is zero");
    }
    if (name.equals("cpu")) {
      // the kubelet divides milli-values: a divisor below 1m counts as 1m
      BigDecimal milli = value.movePointRight(3).setScale(0, RoundingMode.CEILING);
      BigDecimal divisorMilli = divisor.movePointRight(3).setScale(0, RoundingMode.CEILING);
      return milli.divide(divisorMilli, 0, RoundingMode.CEILING).toPlainString();
    }
    BigDecimal bytes = value.setScale(0, RoundingMode.CEILING);
    return bytes.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  /** {@code key="value"} lines, sorted by key, quotes and backslashes escaped, as the kubelet writes them. */
  private static String formatMap(Map<String, String> map) {
    if (map == null) {
      return "";
    }
    return new TreeMap<>(map).entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")
        .collect(Collectors.joining("\n"));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
