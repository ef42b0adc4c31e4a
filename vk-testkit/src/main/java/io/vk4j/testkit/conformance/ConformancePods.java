package io.vk4j.testkit.conformance;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Valid pods for provider tests, shaped like the runtime hands them over: bound to a node, with a
 * unique namespace, name and UID, and the environment already resolved.
 */
public final class ConformancePods {
  private ConformancePods() {}

  /** The node test pods are bound to. */
  public static final String NODE_NAME = "conformance-node";

  /** A pod in a namespace of its own. */
  public static V1Pod pod() {
    return pod(uniqueName("conformance"));
  }

  /** A pod with a unique name and UID in {@code namespace}: one container, restart policy Always. */
  public static V1Pod pod(String namespace) {
    Map<String, Quantity> resources = Map.of("cpu", Quantity.fromString("250m"), "memory", Quantity.fromString("512Mi"));
    return new V1Pod()
        .apiVersion("v1")
        .kind("Pod")
        .metadata(new V1ObjectMeta()
            .namespace(namespace)
            .name(uniqueName("pod"))
            .uid(UUID.randomUUID().toString())
            .creationTimestamp(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS))
            .labels(Map.of("app", "conformance")))
        .spec(new V1PodSpec()
            .nodeName(NODE_NAME)
            .restartPolicy("Always")
            .terminationGracePeriodSeconds(30L)
            .containers(List.of(new V1Container()
                .name("main")
                .image("busybox:1.36")
                .command(List.of("sleep", "3600"))
                .resources(new V1ResourceRequirements().requests(resources).limits(resources)))))
        .status(new V1PodStatus().phase("Pending"));
  }

  /** A lowercase DNS-1123 name: {@code prefix} and a random suffix. */
  public static String uniqueName(String prefix) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder name = new StringBuilder(prefix).append('-');
    for (int i = 0; i < 8; i++) {
      name.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return name.toString();
  }

  /** A deep copy, as the runtime passes its own copy to every call. */
  public static V1Pod copy(V1Pod pod) {
    return JSON.deserialize(JSON.serialize(pod), V1Pod.class);
  }

  /** A copy of {@code pod} as the runtime passes it to {@code deletePod}: deletion timestamp and grace period set. */
  public static V1Pod markedForDeletion(V1Pod pod, long gracePeriodSeconds) {
    V1Pod copy = copy(pod);
    copy.getMetadata()
        .deletionTimestamp(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(gracePeriodSeconds))
        .deletionGracePeriodSeconds(gracePeriodSeconds);
    return copy;
  }

  /** {@code namespace/name (uid)}, for messages. */
  public static String describe(V1Pod pod) {
    V1ObjectMeta metadata = pod.getMetadata();
    return metadata == null ? "<pod without metadata>"
        : metadata.getNamespace() + "/" + metadata.getName() + " (" + metadata.getUid() + ")";
  }
}
