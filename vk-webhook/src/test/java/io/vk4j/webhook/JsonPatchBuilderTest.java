package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPatchBuilderTest {

  @Test
  void escapesTildeBeforeSlash() {
    assertThat(JsonPatchBuilder.escape("kubernetes.io/os")).isEqualTo("kubernetes.io~1os");
    assertThat(JsonPatchBuilder.escape("a~b")).isEqualTo("a~0b");
    // "~1" in a key must not turn into "/" when read back: ~ is escaped first
    assertThat(JsonPatchBuilder.escape("a~1/b")).isEqualTo("a~01~1b");
    assertThat(JsonPatchBuilder.pointer(List.of("spec", "nodeSelector", "a/b~c"))).isEqualTo("/spec/nodeSelector/a~1b~0c");
  }

  @Test
  void createsMissingParentsInOneOperation() {
    JsonObject pod = JsonParser.parseString("{\"spec\":{}}").getAsJsonObject();
    JsonPatchBuilder patch = new JsonPatchBuilder(pod);
    patch.addMember(List.of("spec", "affinity", "nodeAffinity", "x"), new JsonPrimitive(1));
    patch.addMember(List.of("spec", "affinity", "nodeAffinity", "y"), new JsonPrimitive(2));
    assertThat(patch.operations().toString()).isEqualTo(
        "[{\"op\":\"add\",\"path\":\"/spec/affinity\",\"value\":{\"nodeAffinity\":{\"x\":1}}},"
            + "{\"op\":\"add\",\"path\":\"/spec/affinity/nodeAffinity/y\",\"value\":2}]");
    assertThat(JsonPatchApplier.apply(pod, patch.operations()).toString())
        .isEqualTo("{\"spec\":{\"affinity\":{\"nodeAffinity\":{\"x\":1,\"y\":2}}}}");
  }

  @Test
  void appendsOrCreatesArrays() {
    JsonObject pod = JsonParser.parseString("{\"spec\":{\"a\":[1]}}").getAsJsonObject();
    JsonPatchBuilder patch = new JsonPatchBuilder(pod);
    patch.appendToArray(List.of("spec", "a"), new JsonPrimitive(2));
    patch.appendToArray(List.of("spec", "b"), new JsonPrimitive(3));
    patch.appendToArray(List.of("spec", "b"), new JsonPrimitive(4));
    assertThat(patch.operations().toString()).isEqualTo(
        "[{\"op\":\"add\",\"path\":\"/spec/a/-\",\"value\":2},"
            + "{\"op\":\"add\",\"path\":\"/spec/b\",\"value\":[3]},"
            + "{\"op\":\"add\",\"path\":\"/spec/b/-\",\"value\":4}]");
    assertThat(JsonPatchApplier.apply(pod, patch.operations()).toString())
        .isEqualTo("{\"spec\":{\"a\":[1,2],\"b\":[3,4]}}");
  }

  @Test
  void refusesToPatchThroughAWrongType() {
    JsonObject pod = JsonParser.parseString("{\"spec\":{\"affinity\":\"x\",\"tolerations\":{}}}").getAsJsonObject();
    JsonPatchBuilder patch = new JsonPatchBuilder(pod);
    assertThatThrownBy(() -> patch.addMember(List.of("spec", "affinity", "nodeAffinity"), new JsonPrimitive(1)))
        .hasMessageContaining("/spec/affinity is not an object");
    assertThatThrownBy(() -> patch.appendToArray(List.of("spec", "tolerations"), new JsonPrimitive(1)))
        .hasMessageContaining("/spec/tolerations is not an array");
    assertThat(patch.isEmpty()).isTrue();
  }

  @Test
  void doesNotChangeTheDocumentItWasGiven() {
    JsonObject pod = JsonParser.parseString("{\"spec\":{}}").getAsJsonObject();
    new JsonPatchBuilder(pod).addMember(List.of("spec", "x"), new JsonPrimitive(1));
    assertThat(pod.toString()).isEqualTo("{\"spec\":{}}");
  }
}
