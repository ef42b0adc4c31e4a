package io.vk4j.webhook;

import com.google.gson.JsonArray;
import java.util.List;

/** What the webhook decided for one pod: why, the JSON Patch (maybe empty) and warnings for the user. */
record Mutation(String decision, JsonArray patch, List<String> warnings) {

  static Mutation skip(String decision) {
    return new Mutation(decision, new JsonArray(), List.of());
  }
}
