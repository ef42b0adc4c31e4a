package io.vk4j.runtime.internal.env;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Values of {@code resourceFieldRef}: a container's limits and requests of cpu, memory and
 * ephemeral-storage divided by the divisor and rounded up, as the kubelet computes them. A limit
 * that is not set is the node's allocatable amount.
 */
final class ResourceFields {
  private ResourceFields() {}

  /**
   * @throws IllegalArgumentException for a resource that is not supported or a zero divisor
   */
  static String value(V1ResourceFieldSelector selector, V1Container container,
      Map<String, Quantity> nodeAllocatable) {
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
          amount = nodeAllocatable.get(name);
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
}
