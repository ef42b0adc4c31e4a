package io.vk4j.webhook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A strict RFC 6902 applier for the {@code add} operations the webhook emits, written independently
 * of {@link JsonPatchBuilder}: it fails where a real API server would (missing parent, "-" on a
 * non-array, bad escape), so golden tests prove the patches apply.
 */
final class JsonPatchApplier {

  private JsonPatchApplier() {}

  static JsonObject apply(JsonObject document, JsonArray patch) {
    JsonObject result = document.deepCopy();
    for (JsonElement element : patch) {
      JsonObject op = element.getAsJsonObject();
      if (!"add".equals(op.get("op").getAsString())) {
        throw new IllegalArgumentException("unexpected op " + op);
      }
      String path = op.get("path").getAsString();
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("bad pointer " + path);
      }
      String[] tokens = path.substring(1).split("/", -1);
      JsonElement parent = result;
      for (int i = 0; i < tokens.length - 1; i++) {
        parent = child(parent, unescape(tokens[i]), path);
      }
      String last = unescape(tokens[tokens.length - 1]);
      JsonElement value = op.get("value").deepCopy();
      if (parent instanceof JsonObject object) {
        object.add(last, value);
      } else if (parent instanceof JsonArray array) {
        if (last.equals("-")) {
          array.add(value);
        } else {
          int index = Integer.parseInt(last);
          if (index > array.size()) {
            throw new IllegalArgumentException("index out of range in " + path);
          }
          JsonArray copy = new JsonArray();
          for (int i = 0; i < array.size(); i++) {
            if (i == index) {
              copy.add(value);
            }
            copy.add(array.get(i));
          }
          if (index == array.size()) {
            copy.add(value);
          }
          while (!array.isEmpty()) {
            array.remove(0);
          }
          array.addAll(copy);
        }
      } else {
        throw new IllegalArgumentException("parent of " + path + " is not a container");
      }
    }
    return result;
  }

  private static JsonElement child(JsonElement parent, String token, String path) {
    JsonElement child;
    if (parent instanceof JsonObject object) {
      child = object.get(token);
    } else if (parent instanceof JsonArray array) {
      child = array.get(Integer.parseInt(token));
    } else {
      child = null;
    }
    if (child == null || child.isJsonNull()) {
      throw new IllegalArgumentException("missing parent '" + token + "' for " + path);
    }
    return child;
  }

  private static String unescape(String token) {
    if (token.matches(".*~[^01].*|.*~$")) {
      throw new IllegalArgumentException("bad escape in " + token);
    }
    return token.replace("~1", "/").replace("~0", "~");
  }
}
