package io.vk4j.webhook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides whether a pod is steered onto virtual nodes and computes the JSON Patch that does it,
 * merging with what the pod already has. Pure: the same pod and labels give the same patch, and a
 * patched pod gives an empty patch (idempotent).
 */
final class PodMutator {

  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
  /** Kubernetes 1.21+ sets it on every namespace; we add it for older servers so rules may use it. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private static final List<String> NODE_SELECTOR = List.of("spec", "nodeSelector");
  private static final List<String> TOLERATIONS = List.of("spec", "tolerations");
  private static final List<String> PREFERRED_TERMS = List.of(
      "spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution");

  private PodMutator() {}

  /**
   * @param namespaceLabels looked up only when a rule has a namespaceSelector; empty when the labels
   *     could not be learnt in time (such rules then do not match, and the user is warned)
   */
  static Mutation mutate(JsonObject pod, String namespace, AffinityConfig config,
      Supplier<Optional<Map<String, String>>> namespaceLabels) {
    JsonObject metadata = objectOrEmpty(pod.get("metadata"), "metadata");
    Map<String, String> podLabels = stringMap(metadata.get("labels"), "metadata.labels");

    if (config.optOutValue().equals(podLabels.get(config.optOutKey()))) {
      return Mutation.skip("opted out by label " + config.optOutKey() + "=" + config.optOutValue());
    }
    if (config.excludedNamespaces().contains(namespace)) {
      return Mutation.skip("namespace " + namespace + " is excluded");
    }
    JsonObject spec = objectOrEmpty(pod.get("spec"), "spec");
    JsonElement nodeName = spec.get("nodeName");
    if (nodeName != null && nodeName.isJsonPrimitive() && !nodeName.getAsString().isEmpty()) {
      return Mutation.skip("spec.nodeName is already set");
    }
    if (stringMap(metadata.get("annotations"), "metadata.annotations").containsKey(MIRROR_ANNOTATION)) {
      return Mutation.skip("mirror pod");
    }
    if (ownedByDaemonSet(metadata)) {
      return Mutation.skip("DaemonSet pod");
    }

    List<String> warnings = new ArrayList<>();
    Supplier<Optional<Map<String, String>>> labelsOnce = memoize(namespace, namespaceLabels);
    AffinityRule chosen = null;
    boolean namespaceUnknown = false;
    for (AffinityRule rule : config.rules()) {
      if (!rule.selectsPod(podLabels)) {
        continue;
      }
      if (rule.needsNamespaceLabels()) {
        Optional<Map<String, String>> labels = labelsOnce.get();
        if (labels.isEmpty()) {
          namespaceUnknown = true;
          continue;
        }
        if (!rule.selectsNamespace(labels.get())) {
          continue;
        }
      }
      chosen = rule;
      break;
    }
    if (namespaceUnknown && chosen == null) {
      warnings.add("vk-webhook: the labels of namespace " + namespace
          + " were not available in time; rules selecting namespaces were skipped");
    }
    if (chosen == null) {
      return new Mutation("no rule matched", new JsonArray(), List.copyOf(warnings));
    }

    JsonPatchBuilder patch = new JsonPatchBuilder(pod);
    if (!pod.has("spec") || pod.get("spec").isJsonNull()) {
      throw new JsonPatchBuilder.BadPodException("the pod has no spec");
    }
    warnConflictingNodeSelector(patch, config, chosen, warnings);
    if (chosen.mode() == InjectionMode.REQUIRE) {
      requireVirtualNodes(patch, config);
    } else {
      preferVirtualNodes(patch, config, chosen.weight());
    }
    for (TolerationSpec toleration : config.tolerations()) {
      tolerateVirtualNodes(patch, toleration);
    }
    return new Mutation("rule " + chosen.name() + " (" + chosen.mode().configName() + ")",
        patch.operations(), List.copyOf(warnings));
  }

  private static void warnConflictingNodeSelector(JsonPatchBuilder patch, AffinityConfig config,
      AffinityRule rule, List<String> warnings) {
    Map<String, String> existing = stringMap(patch.get(NODE_SELECTOR), "spec.nodeSelector");
    config.nodeSelector().forEach((key, wanted) -> {
      String actual = existing.get(key);
      if (actual != null && !actual.equals(wanted)) {
        warnings.add("vk-webhook: kept the pod's nodeSelector " + key + "=" + actual + "; rule "
            + rule.name() + " wanted " + key + "=" + wanted + ", so the pod will not run on virtual nodes");
      }
    });
  }

  private static void requireVirtualNodes(JsonPatchBuilder patch, AffinityConfig config) {
    Map<String, String> existing = stringMap(patch.get(NODE_SELECTOR), "spec.nodeSelector");
    JsonObject missing = new JsonObject();
    config.nodeSelector().forEach((key, wanted) -> {
      if (!existing.containsKey(key)) {
        missing.addProperty(key, wanted);
      }
    });
    if (missing.size() == 0) {
      return;
    }
    if (patch.get(NODE_SELECTOR) == null) {
      patch.addMember(NODE_SELECTOR, missing);
    } else {
      for (Map.Entry<String, JsonElement> entry : missing.entrySet()) {
        patch.addMember(append(NODE_SELECTOR, entry.getKey()), entry.getValue());
      }
    }
  }

  private static void preferVirtualNodes(JsonPatchBuilder patch, AffinityConfig config, int weight) {
    JsonElement terms = patch.get(PREFERRED_TERMS);
    if (terms != null) {
      if (!terms.isJsonArray()) {
        throw new JsonPatchBuilder.BadPodException(JsonPatchBuilder.pointer(PREFERRED_TERMS) + " is not an array");
      }
      for (JsonElement term : terms.getAsJsonArray()) {
        if (prefersVirtualNodes(term, config.nodeSelector())) {
          return;
        }
      }
    }
    JsonArray expressions = new JsonArray();
    config.nodeSelector().forEach((key, value) -> {
      JsonObject expression = new JsonObject();
      expression.addProperty("key", key);
      expression.addProperty("operator", "In");
      JsonArray values = new JsonArray();
      values.add(value);
      expression.add("values", values);
      expressions.add(expression);
    });
    JsonObject preference = new JsonObject();
    preference.add("matchExpressions", expressions);
    JsonObject term = new JsonObject();
    term.addProperty("weight", weight);
    term.add("preference", preference);
    patch.appendToArray(PREFERRED_TERMS, term);
  }

  /** A term (ours or the user's) that already prefers every virtual-node label with In. */
  private static boolean prefersVirtualNodes(JsonElement term, Map<String, String> nodeLabels) {
    if (!term.isJsonObject() || !(term.getAsJsonObject().get("preference") instanceof JsonObject preference)
        || !(preference.get("matchExpressions") instanceof JsonArray expressions)) {
      return false;
    }
    for (Map.Entry<String, String> label : nodeLabels.entrySet()) {
      boolean found = false;
      for (JsonElement expression : expressions) {
        if (expression instanceof JsonObject e
            && label.getKey().equals(stringOrEmpty(e.get("key")))
            && "In".equals(stringOrEmpty(e.get("operator")))
            && e.get("values") instanceof JsonArray values
            && values.contains(new JsonPrimitive(label.getValue()))) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static void tolerateVirtualNodes(JsonPatchBuilder patch, TolerationSpec wanted) {
    JsonElement existing = patch.get(TOLERATIONS);
    if (existing != null) {
      if (!existing.isJsonArray()) {
        throw new JsonPatchBuilder.BadPodException("/spec/tolerations is not an array");
      }
      for (JsonElement toleration : existing.getAsJsonArray()) {
        if (toleration.isJsonObject() && covers(toleration.getAsJsonObject(), wanted)) {
          return;
        }
      }
    }
    JsonObject toleration = new JsonObject();
    toleration.addProperty("key", wanted.key());
    toleration.addProperty("operator", wanted.operator());
    wanted.value().ifPresent(value -> toleration.addProperty("value", value));
    wanted.effect().ifPresent(effect -> toleration.addProperty("effect", effect));
    patch.appendToArray(TOLERATIONS, toleration);
  }

  /**
   * Whether an existing toleration already lets the pod onto virtual nodes. Virtual nodes taint
   * with {@code NoSchedule} unless the wanted toleration names another effect. A user toleration
   * for the same key with operator Equal (one specific provider) counts: the user chose it.
   */
  static boolean covers(JsonObject existing, TolerationSpec wanted) {
    String key = stringOrEmpty(existing.get("key"));
    String operator = stringOrEmpty(existing.get("operator"));
    String effect = stringOrEmpty(existing.get("effect"));
    String taintEffect = wanted.effect().orElse("NoSchedule");
    if (!effect.isEmpty() && !effect.equals(taintEffect)) {
      return false;
    }
    if (key.isEmpty()) {
      return operator.equals("Exists");
    }
    if (!key.equals(wanted.key())) {
      return false;
    }
    if (operator.equals("Exists") || wanted.operator().equals("Exists")) {
      return true;
    }
    return stringOrEmpty(existing.get("value")).equals(wanted.value().orElse(""));
  }

  private static boolean ownedByDaemonSet(JsonObject metadata) {
    if (!(metadata.get("ownerReferences") instanceof JsonArray owners)) {
      return false;
    }
    for (JsonElement owner : owners) {
      if (owner instanceof JsonObject o && "DaemonSet".equals(stringOrEmpty(o.get("kind")))) {
        return true;
      }
    }
    return false;
  }

  private static Supplier<Optional<Map<String, String>>> memoize(String namespace,
      Supplier<Optional<Map<String, String>>> source) {
    return new Supplier<>() {
      private Optional<Map<String, String>> value;

      @Override
      public Optional<Map<String, String>> get() {
        if (value == null) {
          value = source.get().map(labels -> {
            Map<String, String> withName = new HashMap<>(labels);
            withName.putIfAbsent(NAMESPACE_NAME_LABEL, namespace);
            return withName;
          });
        }
        return value;
      }
    };
  }

  private static List<String> append(List<String> path, String segment) {
    List<String> result = new ArrayList<>(path);
    result.add(segment);
    return result;
  }

  private static JsonObject objectOrEmpty(JsonElement element, String field) {
    if (element == null || element.isJsonNull()) {
      return new JsonObject();
    }
    if (!element.isJsonObject()) {
      throw new JsonPatchBuilder.BadPodException(field + " is not an object");
    }
    return element.getAsJsonObject();
  }

  static Map<String, String> stringMap(JsonElement element, String field) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : objectOrEmpty(element, field).entrySet()) {
      JsonElement value = entry.getValue();
      if (value.isJsonPrimitive()) {
        result.put(entry.getKey(), value.getAsString());
      } else if (!value.isJsonNull()) {
        throw new JsonPatchBuilder.BadPodException(field + "." + entry.getKey() + " is not a string");
      }
    }
    return result;
  }

  private static String stringOrEmpty(JsonElement element) {
    return element != null && element.isJsonPrimitive() ? element.getAsString() : "";
  }
}
