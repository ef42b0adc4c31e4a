package io.vk4j.provider.eci;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.vk4j.api.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts Kubernetes CPU and memory quantities into ECI's units (cores and GiB, decimal) and sizes
 * a container group.
 *
 * <p>A container gets its limit, or its request when it has no limit (ECI reserves what it is given,
 * and a limit is what the container may use). Values are converted exactly ({@code 1G} is
 * 0.931322574615478515625 GiB, {@code 512Mi} is 0.5) and then rounded up to 0.001, so a container
 * never gets less than it asked for. The group needs the sum over its containers, or the largest
 * init container if that is more (init containers run one at a time, before the others), rounded
 * up to the smallest ECI vCPU/memory specification that holds both ({@link #SPECS}: fewest cores
 * first, then least memory).
 */
final class ResourceSizing {
  private ResourceSizing() {}

  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  /** ECI's general-purpose vCPU specifications and the memory sizes (GiB) each allows. */
  static final Map<BigDecimal, List<BigDecimal>> SPECS = specs(
      "0.25", "0.5 1",
      "0.5", "1 2",
      "1", "2 4 8",
      "2", "1 2 4 8 16",
      "4", "2 4 8 16 32",
      "8", "4 8 16 32 64",
      "12", "12 24 48 96",
      "16", "16 32 64 128",
      "24", "24 48 96 192",
      "32", "32 64 128 256",
      "52", "96 192 384",
      "64", "128 256 512");

  /** A CPU and memory pair in ECI units. */
  record Size(BigDecimal cores, BigDecimal gib) {
    Size plus(Size other) {
      return new Size(cores.add(other.cores), gib.add(other.gib));
    }

    Size max(Size other) {
      return new Size(cores.max(other.cores), gib.max(other.gib));
    }

    boolean isZero() {
      return cores.signum() == 0 && gib.signum() == 0;
    }
  }

  static final Size ZERO = new Size(BigDecimal.ZERO, BigDecimal.ZERO);

  static BigDecimal cores(Quantity quantity) {
    return roundUp(quantity.getNumber());
  }

  static BigDecimal gib(Quantity quantity) {
    return roundUp(quantity.getNumber().divide(GIB));
  }

  private static BigDecimal roundUp(BigDecimal value) {
    BigDecimal rounded = value.setScale(3, RoundingMode.CEILING).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
  }

  /** What a container is given: its limit, else its request; zero for what it does not declare. */
  static Size containerSize(V1Container container) {
    V1ResourceRequirements resources = container.getResources();
    if (resources == null) {
      return ZERO;
    }
    Optional<Quantity> cpu = pick(resources, "cpu");
    Optional<Quantity> memory = pick(resources, "memory");
    return new Size(cpu.map(ResourceSizing::cores).orElse(BigDecimal.ZERO),
        memory.map(ResourceSizing::gib).orElse(BigDecimal.ZERO));
  }

  /** Whole GPUs a container asks for ({@code nvidia.com/gpu}). */
  static int gpus(V1Container container) {
    V1ResourceRequirements resources = container.getResources();
    if (resources == null) {
      return 0;
    }
    return pick(resources, "nvidia.com/gpu").map(q -> q.getNumber().setScale(0, RoundingMode.CEILING).intValue())
        .orElse(0);
  }

  private static Optional<Quantity> pick(V1ResourceRequirements resources, String name) {
    if (resources.getLimits() != null && resources.getLimits().containsKey(name)) {
      return Optional.of(resources.getLimits().get(name));
    }
    if (resources.getRequests() != null && resources.getRequests().containsKey(name)) {
      return Optional.of(resources.getRequests().get(name));
    }
    return Optional.empty();
  }

  /** What the group must hold: the sum over containers, or the largest init container if more. */
  static Size groupNeed(List<V1Container> containers, List<V1Container> initContainers) {
    Size sum = containers.stream().map(ResourceSizing::containerSize).reduce(ZERO, Size::plus);
    Size largestInit = initContainers.stream().map(ResourceSizing::containerSize).reduce(ZERO, Size::max);
    return sum.max(largestInit);
  }

  /**
   * The smallest ECI specification that holds {@code need}.
   *
   * @throws InvalidInputException when even the largest does not
   */
  static Size fit(Size need) throws InvalidInputException {
    for (Map.Entry<BigDecimal, List<BigDecimal>> spec : SPECS.entrySet()) {
      if (spec.getKey().compareTo(need.cores()) < 0) {
        continue;
      }
      for (BigDecimal memory : spec.getValue()) {
        if (memory.compareTo(need.gib()) >= 0) {
          return new Size(spec.getKey(), memory);
        }
      }
    }
    throw new InvalidInputException("ResourcesTooLarge", "the pod needs " + need.cores().toPlainString()
        + " cores and " + need.gib().toPlainString()
        + " GiB, more than ECI's largest vCPU/memory specification; use the k8s.aliyun.com/eci-use-specs"
        + " annotation to name an ECS instance type");
  }

  private static Map<BigDecimal, List<BigDecimal>> specs(String... pairs) {
    Map<BigDecimal, List<BigDecimal>> specs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      specs.put(new BigDecimal(pairs[i]),
          java.util.Arrays.stream(pairs[i + 1].split(" ")).map(BigDecimal::new).toList());
    }
    return java.util.Collections.unmodifiableMap(specs);
  }
}
