package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.testkit.conformance.ConformancePods;
import java.util.HashMap;
import java.util.Map;

/** Test pods for the fake provider. */
final class Pods {
  private Pods() {}

  static V1Pod pod(String... annotations) {
    V1Pod pod = ConformancePods.pod();
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < annotations.length; i += 2) {
      map.put(annotations[i], annotations[i + 1]);
    }
    pod.getMetadata().setAnnotations(map);
    return pod;
  }

  static V1Pod withRestartPolicy(V1Pod pod, String policy) {
    pod.getSpec().setRestartPolicy(policy);
    return pod;
  }

  static String ns(V1Pod pod) {
    return pod.getMetadata().getNamespace();
  }

  static String name(V1Pod pod) {
    return pod.getMetadata().getName();
  }

  static String uid(V1Pod pod) {
    return pod.getMetadata().getUid();
  }
}
