package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventJsonTest {

  @Test
  void clientJavaReadsBackTheEventWritten() {
    OffsetDateTime time = OffsetDateTime.of(2026, 12, 1, 15, 4, 5, 0, ZoneOffset.UTC);
    CoreV1Event event = new CoreV1Event()
        .metadata(new V1ObjectMeta().name("web-0.18c2").namespace("team-a"))
        .involvedObject(new V1ObjectReference().apiVersion("v1").kind("Pod").namespace("team-a").name("web-0")
            .uid("7d1f").resourceVersion("42"))
        .type("Warning").reason("ProviderFailed").message("quota \"cpu\" exceeded: ünïcode\n")
        .count(1).firstTimestamp(time).lastTimestamp(time)
        .source(new V1EventSource().component("vk4j").host("vk-1"))
        .reportingComponent("vk4j").reportingInstance("vk-1");

    String written = new String(EventJson.of(event), StandardCharsets.UTF_8);

    CoreV1Event read = new JSON().deserialize(written, CoreV1Event.class);
    assertThat(read)
        .isEqualTo(event.apiVersion("v1").kind("Event"));
    JsonObject tree = JsonParser.parseString(written).getAsJsonObject();
    assertThat(tree.get("firstTimestamp").getAsString()).isEqualTo("2026-12-01T15:04:05Z"); // RFC 3339, seconds
    assertThat(tree.getAsJsonObject("metadata").keySet()).containsExactly("name", "namespace");
  }
}
