package io.vk4j.runtime.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelCopyTest {
  /** A pod as the API server sends it, with every kind of value a model holds. */
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"shop","uid":"7d1c","resourceVersion":"42",
       "creationTimestamp":"2026-12-01T22:43:01Z","deletionTimestamp":"2026-12-01T22:50:01Z","deletionGracePeriodSeconds":30,
       "labels":{"app":"web"},"annotations":{"note":"x"},"finalizers":["f/one"],
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","uid":"u1","controller":true}]},
       "spec":{"nodeName":"vk","restartPolicy":"Always","terminationGracePeriodSeconds":30,
        "containers":[{"name":"app","image":"nginx:1.27","args":["-g","daemon off;"],
          "env":[{"name":"A","value":"1"},{"name":"P","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
          "ports":[{"containerPort":80,"protocol":"TCP"}],
          "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"0.25","memory":"64M"}},
          "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":5},
          "livenessProbe":{"tcpSocket":{"port":80}}}],
        "volumes":[{"name":"cfg","configMap":{"name":"cfg","defaultMode":420,"items":[{"key":"a","path":"a"}]}}],
        "tolerations":[{"key":"virtual-kubelet.io/provider","operator":"Exists","effect":"NoSchedule","tolerationSeconds":300}]},
       "status":{"phase":"Running","podIP":"10.1.2.3","podIPs":[{"ip":"10.1.2.3"}],"startTime":"2026-12-01T22:43:02Z",
        "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-01T22:43:02Z"}],
        "containerStatuses":[{"name":"app","ready":true,"restartCount":2,"image":"nginx:1.27","imageID":"",
          "state":{"running":{"startedAt":"2026-12-01T22:43:02.123456Z"}},
          "lastState":{"terminated":{"exitCode":137,"reason":"Error","finishedAt":"2026-12-01T22:43:01Z"}}}]}}
      """;

  private static V1Pod pod() {
    return JSON.deserialize(POD, V1Pod.class);
  }

  @Test
  void aCopyEqualsTheOriginalAndWhatTheJsonRoundTripGave() {
    V1Pod pod = pod();
    V1Pod copy = ModelCopy.of(pod);
    assertThat(copy).isNotSameAs(pod).isEqualTo(pod);
    assertThat(JSON.serialize(copy)).isEqualTo(JSON.serialize(pod));
  }

  @Test
  void valuesOfNoModelTypeAreCopiedToo() {
    // managed fields hold a free-form map (the JSON mapper drops them, so they are set here)
    Map<String, Object> fields = new java.util.LinkedHashMap<>(Map.of("f:metadata",
        new java.util.LinkedHashMap<>(Map.of("f:labels", new java.util.LinkedHashMap<>(Map.of("f:app", Map.of()))))));
    V1Pod pod = pod();
    pod.getMetadata().setManagedFields(List.of(new V1ManagedFieldsEntry().manager("kubectl").fieldsV1(fields)));
    V1Pod copy = ModelCopy.of(pod);
    Object copied = copy.getMetadata().getManagedFields().get(0).getFieldsV1();
    assertThat(copied).isEqualTo(fields).isNotSameAs(fields);
    assertThat(((Map<?, ?>) copied).get("f:metadata")).isNotSameAs(fields.get("f:metadata"));
  }

  @Test
  void aCopySharesNothingThatCanChange() {
    V1Pod pod = pod();
    V1Pod copy = ModelCopy.of(pod);
    Set<Object> originals = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    collectChangeable(pod, originals);
    Set<Object> copies = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    collectChangeable(copy, copies);
    assertThat(copies).hasSameSizeAs(originals);
    assertThat(copies.stream().filter(originals::contains)).isEmpty(); // by identity: the sets are identity sets

    copy.getMetadata().getLabels().put("app", "changed");
    copy.getSpec().getContainers().get(0).getEnv().add(new V1EnvVar().name("B").value("2"));
    copy.getSpec().setContainers(List.of(new V1Container().name("other")));
    copy.getStatus().getConditions().get(0).setStatus("False");
    copy.getStatus().getContainerStatuses().get(0).getState().getRunning().setStartedAt(null);
    assertThat(pod).isEqualTo(pod());
  }

  @Test
  void nullsAndPartsCopyToo() {
    assertThat(ModelCopy.<V1Pod>of(null)).isNull();
    V1PodStatus status = pod().getStatus();
    V1PodStatus copy = ModelCopy.of(status);
    assertThat(copy).isEqualTo(status);
    assertThat(copy.getConditions()).isNotSameAs(status.getConditions());
    V1PodCondition condition = copy.getConditions().get(0);
    assertThat(condition).isNotSameAs(status.getConditions().get(0));
    // a field set to null in the original stays null, whatever the model's initial value
    V1PodStatus sparse = new V1PodStatus().phase("Pending");
    sparse.setConditions(null);
    assertThat(ModelCopy.of(sparse).getConditions()).isNull();
  }

  /** Every model, list and map reachable from {@code value}. */
  private static void collectChangeable(Object value, Set<Object> found) {
    if (value == null || found.contains(value)) {
      return;
    }
    if (value instanceof List<?> list) {
      found.add(list);
      list.forEach(item -> collectChangeable(item, found));
    } else if (value instanceof Map<?, ?> map) {
      found.add(map);
      map.values().forEach(item -> collectChangeable(item, found));
    } else if (value.getClass().getPackageName().equals("io.kubernetes.client.openapi.models")) {
      found.add(value);
      for (Field field : value.getClass().getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          try {
            collectChangeable(field.get(value), found);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }
}
