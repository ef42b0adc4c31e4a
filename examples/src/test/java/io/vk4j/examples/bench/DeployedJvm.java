package io.vk4j.examples.bench;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the shipped manifests say about the node process. The JVM the StatefulSet
 * ({@code examples/deploy/base/statefulset.yaml}) runs: its {@code JAVA_TOOL_OPTIONS} and its container's memory limit. The benchmark starts node processes
 * with exactly these options, and with {@code -XX:MaxRAM} set to the limit so that heap sizing by
 * percentages comes out as inside the container.
 */
record DeployedJvm(String javaToolOptions, Optional<Long> memoryLimitBytes) {

  static DeployedJvm of(Path statefulSet) throws IOException {
    V1StatefulSet set = Yaml.loadAs(statefulSet.toFile(), V1StatefulSet.class);
    V1Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
    String options = container.getEnv() == null ? "" : container.getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).map(V1EnvVar::getValue).findFirst().orElse("");
    Optional<Long> limit = Optional.ofNullable(container.getResources())
        .map(r -> r.getLimits() == null ? null : r.getLimits().get("memory"))
        .map(Quantity::getNumber).map(n -> n.longValueExact());
    return new DeployedJvm(options, limit);
  }

  /**
   * The resources (with subresources, {@code pods/status}) the node's ClusterRole and Roles in
   * {@code rbac.yaml} allow (the Leases are a Role's): the nodes' requests are those of these resources.
   */
  static Set<String> nodeResources(Path rbac) throws IOException {
    Set<String> resources = new TreeSet<>();
    for (Object document : Yaml.loadAll(rbac.toFile())) {
      if (document instanceof V1ClusterRole role) {
        role.getRules().forEach(rule -> resources.addAll(rule.getResources()));
      } else if (document instanceof V1Role role) {
        role.getRules().forEach(rule -> resources.addAll(rule.getResources()));
      }
    }
    return resources;
  }

  /** What the node process gets as {@code JAVA_TOOL_OPTIONS}: the StatefulSet's, and the container's size. */
  String benchmarkOptions() {
    return memoryLimitBytes.map(limit -> javaToolOptions + " -XX:MaxRAM=" + limit).orElse(javaToolOptions).trim();
  }
}
