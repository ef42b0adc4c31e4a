package io.vk4j.webhook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Builds an RFC 6902 JSON Patch of {@code add} operations against a document, keeping a working
 * copy so that later operations see what earlier ones created. Missing parents are created by
 * adding the whole nested value at the first missing level, so every operation applies to the
 * original document in order.
 */
final class JsonPatchBuilder {

  private final JsonObject working;
  private final JsonArray operations = new JsonArray();

  JsonPatchBuilder(JsonObject document) {
    this.working = document.deepCopy();
  }

  /** The value at {@code path}, or null when absent or JSON null. */
  JsonElement get(List<String> path) {
    JsonElement current = working;
    for (String segment : path) {
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.get(segment);
      if (current == null || current.isJsonNull()) {
        return null;
      }
    }
    return current;
  }

  /** Sets the member at {@code path} (which must be absent), creating missing parent objects. */
  void addMember(List<String> path, JsonElement value) {
    int existing = existingDepth(path.subList(0, path.size() - 1));
    JsonElement nested = value.deepCopy();
    for (int i = path.size() - 1; i > existing; i--) {
      JsonObject parent = new JsonObject();
      parent.add(path.get(i), nested);
      nested = parent;
    }
    List<String> target = path.subList(0, existing + 1);
    record(pointer(target), nested);
    objectAt(target.subList(0, target.size() - 1)).add(target.get(target.size() - 1), nested.deepCopy());
  }

  /** Appends {@code value} to the array at {@code path}, creating the array and its parents when absent. */
  void appendToArray(List<String> path, JsonElement value) {
    JsonElement array = get(path);
    if (array == null) {
      JsonArray created = new JsonArray();
      created.add(value.deepCopy());
      addMember(path, created);
      return;
    }
    if (!array.isJsonArray()) {
      throw new BadPodException("/" + String.join("/", path) + " is not an array");
    }
    record(pointer(path) + "/-", value.deepCopy());
    array.getAsJsonArray().add(value.deepCopy());
  }

  JsonArray operations() {
    return operations.deepCopy();
  }

  boolean isEmpty() {
    return operations.isEmpty();
  }

  /** RFC 6901: "~" becomes "~0" first, then "/" becomes "~1". */
  static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  static String pointer(List<String> path) {
    StringBuilder pointer = new StringBuilder();
    for (String segment : path) {
      pointer.append('/').append(escape(segment));
    }
    return pointer.toString();
  }

  private void record(String pointer, JsonElement value) {
    JsonObject op = new JsonObject();
    op.addProperty("op", "add");
    op.addProperty("path", pointer);
    op.add("value", value);
    operations.add(op);
  }

  /** How many leading segments of {@code parents} exist as objects. */
  private int existingDepth(List<String> parents) {
    JsonElement current = working;
    int depth = 0;
    for (String segment : parents) {
      JsonElement next = current.getAsJsonObject().get(segment);
      if (next == null || next.isJsonNull()) {
        return depth;
      }
      if (!next.isJsonObject()) {
        throw new BadPodException(pointer(parents.subList(0, depth + 1)) + " is not an object");
      }
      current = next;
      depth++;
    }
    return depth;
  }

  private JsonObject objectAt(List<String> path) {
    JsonObject current = working;
    for (String segment : path) {
      current = current.getAsJsonObject(segment);
    }
    return current;
  }

  /** The pod in the review cannot be patched as asked (a field has the wrong JSON type). */
  static final class BadPodException extends RuntimeException {
    BadPodException(String message) {
      super(message);
    }
  }
}
