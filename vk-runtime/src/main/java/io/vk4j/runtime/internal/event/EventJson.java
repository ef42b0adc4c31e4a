package io.vk4j.runtime.internal.event;

import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The JSON body of an Event the recorder creates, written field by field: a node writes one to four
 * Events per pod, and client-java's reflective serialization of each cost more CPU than the rest of
 * the request (docs/benchmark.md). Writes exactly the fields the recorder sets.
 */
final class EventJson {
  private EventJson() {}

  static byte[] of(CoreV1Event event) {
    StringWriter text = new StringWriter(768); // encoded once at the end, not per token
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject();
      json.name("apiVersion").value("v1");
      json.name("kind").value("Event");
      json.name("metadata").beginObject()
          .name("name").value(event.getMetadata().getName())
          .name("namespace").value(event.getMetadata().getNamespace())
          .endObject();
      V1ObjectReference object = event.getInvolvedObject();
      json.name("involvedObject").beginObject();
      field(json, "apiVersion", object.getApiVersion());
      field(json, "kind", object.getKind());
      field(json, "namespace", object.getNamespace());
      field(json, "name", object.getName());
      field(json, "uid", object.getUid());
      field(json, "resourceVersion", object.getResourceVersion());
      json.endObject();
      field(json, "type", event.getType());
      field(json, "reason", event.getReason());
      field(json, "message", event.getMessage());
      if (event.getCount() != null) {
        json.name("count").value(event.getCount());
      }
      field(json, "firstTimestamp", time(event.getFirstTimestamp()));
      field(json, "lastTimestamp", time(event.getLastTimestamp()));
      if (event.getSource() != null) {
        json.name("source").beginObject();
        field(json, "component", event.getSource().getComponent());
        field(json, "host", event.getSource().getHost());
        json.endObject();
      }
      field(json, "reportingComponent", event.getReportingComponent());
      field(json, "reportingInstance", event.getReportingInstance());
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void field(JsonWriter json, String name, String value) throws IOException {
    if (value != null) {
      json.name(name).value(value);
    }
  }

  /** RFC 3339 in UTC with seconds, which the API server requires (the recorder's times have no fraction). */
  static String time(OffsetDateTime time) {
    return time == null ? null : DateTimeFormatter.ISO_INSTANT.format(time.toInstant());
  }
}
