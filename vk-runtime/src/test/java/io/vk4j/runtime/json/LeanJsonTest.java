package io.vk4j.runtime.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Status;
import org.junit.jupiter.api.Test;

class LeanJsonTest {
  /** A pod as the API server sends it: defaults, managed fields, quantities, dates, a probe port. */
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"ns","uid":"u-1",
       "resourceVersion":"42","creationTimestamp":"2026-12-01T11:53:33Z","labels":{"app":"web"},
       "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1",
         "time":"2026-12-01T11:53:33Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
       "spec":{"nodeName":"vk-1","containers":[{"name":"app","image":"nginx",
         "resources":{"limits":{"cpu":"500m","memory":"1Gi"}},
         "livenessProbe":{"httpGet":{"path":"/","port":"http"}},
         "terminationMessagePath":"/dev/termination-log","imagePullPolicy":"Always"}],
         "tolerations":[{"key":"virtual-kubelet.io/provider","operator":"Exists"}],
         "restartPolicy":"Always","enableServiceLinks":true},
       "status":{"phase":"Running","podIP":"10.1.0.7","startTime":"2026-12-01T11:53:34Z",
         "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-01T11:53:35Z"}]}}
      """;

  private final Gson standard = JSON.getGson();
  private final Gson lean = LeanJson.leanerThan(standard);

  @Test
  void bindsWhatTheApiServerSendsAsClientJavaDoes() {
    V1Pod expected = standard.fromJson(POD, V1Pod.class);

    V1Pod pod = lean.fromJson(POD, V1Pod.class);

    assertThat(pod).isEqualTo(expected);
    assertThat(pod.getMetadata().getManagedFields()).as("excluded like client-java does").isEmpty();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("cpu"))
        .isEqualTo(Quantity.fromString("500m"));
    assertThat(pod.getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPort())
        .isEqualTo(new IntOrString("http"));
    assertThat(pod.getStatus().getStartTime()).isEqualTo(expected.getStatus().getStartTime());
  }

  @Test
  void writesWhatClientJavaWrites() {
    V1Pod pod = standard.fromJson(POD, V1Pod.class);

    assertThat(JsonParser.parseString(lean.toJson(pod))).isEqualTo(JsonParser.parseString(standard.toJson(pod)));
  }

  @Test
  void ignoresFieldsTheModelDoesNotKnow() {
    String newer = POD.replace("\"restartPolicy\"", "\"fieldOfANewerServer\":{\"a\":1},\"restartPolicy\"");

    V1Pod pod = lean.fromJson(newer, V1Pod.class);

    assertThat(pod).isEqualTo(standard.fromJson(POD, V1Pod.class));
  }

  @Test
  void keepsClientJavasStatusHandling() {
    String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":410,"
        + "\"reason\":\"Expired\",\"message\":\"too old resource version\"}";

    assertThat(lean.fromJson(status, V1Status.class)).isEqualTo(standard.fromJson(status, V1Status.class));
  }
}
