package io.vk4j.webhook;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads an {@link AffinityConfig} from YAML or JSON (JSON is YAML). Strict: an unknown key, a wrong
 * type or an invalid selector is an {@link InvalidConfigException} naming the path of the culprit.
 */
final class ConfigParser {

  private static final String DEFAULT_RESOURCE = "default-config.yaml";
  private static final Set<String> TOP_KEYS =
      Set.of("optOutLabel", "excludedNamespaces", "nodeSelector", "tolerations", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("name", "mode", "weight", "namespaceSelector", "objectSelector");
  private static final Set<String> SELECTOR_KEYS = Set.of("matchLabels", "matchExpressions");
  private static final Set<String> EXPRESSION_KEYS = Set.of("key", "operator", "values");
  private static final Set<String> TOLERATION_KEYS = Set.of("key", "operator", "value", "effect");
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private static volatile AffinityConfig defaults;

  private ConfigParser() {}

  /** Thrown for a configuration that cannot be used; the message says where and why. */
  static final class InvalidConfigException extends Exception {
    InvalidConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static AffinityConfig parse(String text) throws InvalidConfigException {
    Object root;
    try {
      root = yaml().load(text);
    } catch (YAMLException e) {
      throw new InvalidConfigException("not valid YAML or JSON: " + e.getMessage(), e);
    }
    try {
      return toConfig(root == null || "".equals(root) ? Map.of() : root);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(e.getMessage(), e);
    }
  }

  static AffinityConfig defaults() {
    AffinityConfig loaded = defaults;
    if (loaded == null) {
      try (InputStream in = ConfigParser.class.getResourceAsStream(DEFAULT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
        }
        loaded = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException | InvalidConfigException e) {
        throw new IllegalStateException("the built-in " + DEFAULT_RESOURCE + " is broken", e);
      }
      defaults = loaded;
    }
    return loaded;
  }

  /** Plain scalars stay strings: {@code eci: true} means the label value "true", not a boolean. */
  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Resolver stringsOnly = new Resolver() {
      @Override
      protected void addImplicitResolvers() {}
    };
    return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
        stringsOnly);
  }

  private static AffinityConfig toConfig(Object root) {
    Map<String, Object> top = object(root, "");
    requireKnown(top, TOP_KEYS, "");
    AffinityConfig.Builder config = AffinityConfig.builder();
    if (top.containsKey("optOutLabel")) {
      String label = string(top.get("optOutLabel"), "optOutLabel");
      int eq = label.indexOf('=');
      if (eq <= 0 || eq == label.length() - 1) {
        throw new IllegalArgumentException("optOutLabel must look like key=value, not '" + label + "'");
      }
      config.optOutKey(label.substring(0, eq)).optOutValue(label.substring(eq + 1));
    }
    if (top.containsKey("excludedNamespaces")) {
      config.excludedNamespaces(strings(top.get("excludedNamespaces"), "excludedNamespaces"));
    }
    if (top.containsKey("nodeSelector")) {
      config.nodeSelector(stringMap(top.get("nodeSelector"), "nodeSelector"));
    }
    if (top.containsKey("tolerations")) {
      List<Object> tolerations = list(top.get("tolerations"), "tolerations");
      for (int i = 0; i < tolerations.size(); i++) {
        config.addTolerations(toToleration(tolerations.get(i), "tolerations[" + i + "]"));
      }
    }
    if (top.containsKey("rules")) {
      List<Object> rules = list(top.get("rules"), "rules");
      for (int i = 0; i < rules.size(); i++) {
        config.addRules(toRule(rules.get(i), i));
      }
    } else {
      config.addAllRules(defaults().rules());
    }
    return config.build();
  }

  private static TolerationSpec toToleration(Object node, String path) {
    Map<String, Object> map = object(node, path);
    requireKnown(map, TOLERATION_KEYS, path);
    TolerationSpec.Builder toleration = TolerationSpec.builder();
    toleration.key(string(required(map, "key", path), path + ".key"));
    if (map.containsKey("operator")) {
      toleration.operator(string(map.get("operator"), path + ".operator"));
    }
    if (map.containsKey("value")) {
      toleration.value(string(map.get("value"), path + ".value"));
    }
    if (map.containsKey("effect")) {
      toleration.effect(string(map.get("effect"), path + ".effect"));
    }
    try {
      return toleration.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private static AffinityRule toRule(Object node, int index) {
    String path = "rules[" + index + "]";
    Map<String, Object> map = object(node, path);
    requireKnown(map, RULE_KEYS, path);
    AffinityRule.Builder rule = AffinityRule.builder();
    String name = map.containsKey("name") ? string(map.get("name"), path + ".name") : "rule-" + index;
    rule.name(name);
    try {
      if (map.containsKey("mode")) {
        rule.mode(InjectionMode.fromConfigName(string(map.get("mode"), path + ".mode")));
      }
      if (map.containsKey("weight")) {
        String weight = string(map.get("weight"), path + ".weight");
        try {
          rule.weight(Integer.parseInt(weight));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("weight must be an integer, not '" + weight + "'");
        }
      }
      if (map.containsKey("namespaceSelector")) {
        rule.namespaceSelector(toSelector(map.get("namespaceSelector"), path + ".namespaceSelector"));
      }
      if (map.containsKey("objectSelector")) {
        rule.objectSelector(toSelector(map.get("objectSelector"), path + ".objectSelector"));
      }
      return rule.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " (" + name + "): " + e.getMessage(), e);
    }
  }

  /**
   * A label selector, checked as the API server checks one (client-java's {@code LabelSelector}
   * matches it but checks less): a non-empty key, one of the four operators, values for In and
   * NotIn only.
   */
  static V1LabelSelector toSelector(Object node, String path) {
    Map<String, Object> map = object(node, path);
    requireKnown(map, SELECTOR_KEYS, path);
    V1LabelSelector selector = new V1LabelSelector();
    if (map.containsKey("matchLabels")) {
      selector.setMatchLabels(stringMap(map.get("matchLabels"), path + ".matchLabels"));
    }
    if (map.containsKey("matchExpressions")) {
      List<Object> expressions = list(map.get("matchExpressions"), path + ".matchExpressions");
      List<V1LabelSelectorRequirement> requirements = new ArrayList<>();
      for (int i = 0; i < expressions.size(); i++) {
        String at = path + ".matchExpressions[" + i + "]";
        Map<String, Object> expression = object(expressions.get(i), at);
        requireKnown(expression, EXPRESSION_KEYS, at);
        V1LabelSelectorRequirement requirement = new V1LabelSelectorRequirement()
            .key(string(required(expression, "key", at), at + ".key"))
            .operator(string(required(expression, "operator", at), at + ".operator"))
            .values(expression.containsKey("values") ? strings(expression.get("values"), at + ".values") : List.of());
        try {
          check(requirement);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
        requirements.add(requirement);
      }
      selector.setMatchExpressions(requirements);
    }
    return selector;
  }

  private static void check(V1LabelSelectorRequirement requirement) {
    if (requirement.getKey().isEmpty()) {
      throw new IllegalArgumentException("matchExpressions key must not be empty");
    }
    String operator = requirement.getOperator();
    if (!OPERATORS.contains(operator)) {
      throw new IllegalArgumentException(
          "operator must be one of In, NotIn, Exists, DoesNotExist, not '" + operator + "'");
    }
    boolean setOperator = operator.equals("In") || operator.equals("NotIn");
    if (setOperator && requirement.getValues().isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator + " on key '" + requirement.getKey() + "' needs at least one value");
    }
    if (!setOperator && !requirement.getValues().isEmpty()) {
      throw new IllegalArgumentException(
          "operator " + operator + " on key '" + requirement.getKey() + "' takes no values");
    }
  }

  private static Object required(Map<String, Object> map, String key, String path) {
    Object value = map.get(key);
    if (value == null) {
      throw new IllegalArgumentException((path.isEmpty() ? "" : path + ": ") + "'" + key + "' is required");
    }
    return value;
  }

  private static void requireKnown(Map<String, Object> map, Set<String> known, String path) {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "'" + (path.isEmpty() ? "" : " in " + path)
            + "; known keys: " + known.stream().sorted().toList());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object node, String path) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), v));
      return result;
    }
    if ("".equals(node)) {
      return Map.of();
    }
    throw new IllegalArgumentException(where(path) + "must be a mapping");
  }

  private static List<Object> list(Object node, String path) {
    if (node instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    if ("".equals(node)) {
      return List.of();
    }
    throw new IllegalArgumentException(where(path) + "must be a list");
  }

  private static String string(Object node, String path) {
    if (node instanceof String text) {
      return text;
    }
    throw new IllegalArgumentException(where(path) + "must be a string");
  }

  private static List<String> strings(Object node, String path) {
    List<Object> items = list(node, path);
    List<String> result = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      result.add(string(items.get(i), path + "[" + i + "]"));
    }
    return result;
  }

  private static Map<String, String> stringMap(Object node, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    object(node, path).forEach((k, v) -> result.put(k, string(v, path + "." + k)));
    return result;
  }

  private static String where(String path) {
    return path.isEmpty() ? "the configuration " : path + " ";
  }
}
