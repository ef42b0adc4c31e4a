package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

  @Test
  void defaultsAreTheSeedBehaviour() {
    AffinityConfig config = AffinityConfig.defaults();
    assertThat(config.nodeSelector()).isEqualTo(Map.of("type", "virtual-kubelet"));
    assertThat(config.tolerations()).singleElement().satisfies(t -> {
      assertThat(t.key()).isEqualTo("virtual-kubelet.io/provider");
      assertThat(t.operator()).isEqualTo("Exists");
      assertThat(t.effect()).isEmpty();
    });
    assertThat(config.optOutKey()).isEqualTo("virtual-node-affinity-injection");
    assertThat(config.optOutValue()).isEqualTo("disabled");
    assertThat(config.excludedNamespaces()).containsExactlyInAnyOrder("kube-system", "kube-public", "kube-node-lease");
    assertThat(config.rules()).extracting(AffinityRule::name).containsExactly(
        "alibabacloud-eci-pod", "alibabacloud-eci-namespace", "eci-pod", "injection-enabled-namespace");
    assertThat(config.rules()).allMatch(rule -> rule.mode() == InjectionMode.REQUIRE);
    assertThat(config.rules().get(2).objectSelector().getMatchLabels()).isEqualTo(Map.of("eci", "true"));
    assertThat(config.rules().get(3).namespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("virtual-node-affinity-injection", "enabled"));
  }

  /** The example users copy from the README parses to what the README says it does. */
  @Test
  void theReadmeExampleMeansWhatTheReadmeSays() throws Exception {
    String readme = java.nio.file.Files.readString(
        java.nio.file.Path.of(System.getProperty("vk4j.projectRoot", ".."), "README.md"));
    int start = readme.indexOf("```yaml\noptOutLabel:");
    assertThat(start).as("the README's configuration example").isNotNegative();
    String yaml = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 3));

    AffinityConfig config = ConfigParser.parse(yaml);
    assertThat(config.rules()).extracting(AffinityRule::name).containsExactly("batch-prefers", "eci-pod");
    assertThat(config.rules().get(0).mode()).isEqualTo(InjectionMode.PREFER);
    assertThat(config.rules().get(0).selectsNamespace(Map.of("team", "ml"))).isTrue();
    assertThat(config.rules().get(0).selectsNamespace(Map.of("team", "web"))).isFalse();
    assertThat(config.rules().get(1).mode()).isEqualTo(InjectionMode.REQUIRE);
    assertThat(config.rules().get(1).selectsPod(Map.of("eci", "true"))).isTrue();
    assertThat(config.optOutKey()).isEqualTo("virtual-node-affinity-injection");
  }

  @Test
  void anEmptyFileMeansTheDefaults() throws Exception {
    assertThat(ConfigParser.parse("")).isEqualTo(AffinityConfig.defaults());
    assertThat(ConfigParser.parse("# nothing\n")).isEqualTo(AffinityConfig.defaults());
    assertThat(ConfigParser.parse("{}")).isEqualTo(AffinityConfig.defaults());
  }

  @Test
  void leftOutKeysKeepTheirDefaults() throws Exception {
    AffinityConfig config = ConfigParser.parse("optOutLabel: vk/skip=yes\n");
    assertThat(config.optOutKey()).isEqualTo("vk/skip");
    assertThat(config.optOutValue()).isEqualTo("yes");
    assertThat(config.rules()).isEqualTo(AffinityConfig.defaults().rules());
    assertThat(config.nodeSelector()).isEqualTo(AffinityConfig.defaults().nodeSelector());
  }

  @Test
  void parsesEveryPartOfARule() throws Exception {
    AffinityConfig config = ConfigParser.parse("""
        excludedNamespaces: []
        rules:
          - name: burst
            mode: prefer
            weight: 30
            namespaceSelector:
              matchLabels: {team: a}
              matchExpressions:
                - {key: env, operator: NotIn, values: [prod]}
            objectSelector:
              matchExpressions:
                - {key: burst, operator: Exists}
                - {key: pinned, operator: DoesNotExist}
                - {key: tier, operator: In, values: [web, api]}
          - objectSelector: {matchLabels: {eci: true}}
        """);
    assertThat(config.excludedNamespaces()).isEmpty();
    AffinityRule burst = config.rules().get(0);
    assertThat(burst.mode()).isEqualTo(InjectionMode.PREFER);
    assertThat(burst.weight()).isEqualTo(30);
    assertThat(burst.namespaceSelector().getMatchLabels()).isEqualTo(Map.of("team", "a"));
    assertThat(burst.namespaceSelector().getMatchExpressions()).singleElement()
        .satisfies(e -> assertThat(e.getOperator()).isEqualTo("NotIn"));
    assertThat(burst.objectSelector().getMatchExpressions()).extracting(V1LabelSelectorRequirement::getOperator)
        .containsExactly("Exists", "DoesNotExist", "In");
    // matched with Kubernetes' semantics: NotIn and DoesNotExist also hold when the key is absent
    assertThat(burst.selectsNamespace(Map.of("team", "a"))).isTrue();
    assertThat(burst.selectsNamespace(Map.of("team", "a", "env", "prod"))).isFalse();
    assertThat(burst.selectsPod(Map.of("burst", "", "tier", "api"))).isTrue();
    assertThat(burst.selectsPod(Map.of("burst", "", "tier", "db"))).isFalse();
    assertThat(burst.selectsPod(Map.of("burst", "", "tier", "api", "pinned", "x"))).isFalse();
    assertThat(burst.selectsPod(Map.of("tier", "api"))).isFalse();
    AffinityRule second = config.rules().get(1);
    assertThat(second.name()).isEqualTo("rule-1");
    assertThat(second.mode()).isEqualTo(InjectionMode.REQUIRE);
    // an unquoted YAML true is the label value "true"
    assertThat(second.objectSelector().getMatchLabels()).isEqualTo(Map.of("eci", "true"));
    assertThat(second.needsNamespaceLabels()).isFalse();
    assertThat(second.selectsNamespace(Map.of("any", "thing"))).isTrue();
  }

  @Test
  void jsonIsAccepted() throws Exception {
    AffinityConfig config = ConfigParser.parse("""
        {"nodeSelector": {"type": "virtual-kubelet", "pool": "eci"},
         "tolerations": [{"key": "virtual-kubelet.io/provider", "operator": "Equal", "value": "eci", "effect": "NoSchedule"}],
         "rules": [{"name": "all", "mode": "prefer", "weight": 1}]}
        """);
    assertThat(config.nodeSelector()).containsEntry("pool", "eci");
    assertThat(config.tolerations().get(0).value()).contains("eci");
    assertThat(config.rules().get(0).weight()).isEqualTo(1);
  }

  @Test
  void noRulesIsValid() throws Exception {
    assertThat(ConfigParser.parse("rules: []").rules()).isEmpty();
  }

  @Test
  void errorsNameWhereAndWhy() {
    assertRefused("rules: [{mode: always}]", "rules[0] (rule-0): mode must be 'require' or 'prefer', not 'always'");
    assertRefused("rules: [{weight: 0, mode: prefer}]", "weight must be within 1..100");
    assertRefused("rules: [{weight: heavy}]", "weight must be an integer");
    assertRefused("rulez: []", "unknown key 'rulez'");
    assertRefused("rules: [{objectSelector: {matchLabel: {a: b}}}]", "unknown key 'matchLabel' in rules[0].objectSelector");
    assertRefused("rules: [{objectSelector: {matchExpressions: [{key: a, operator: in, values: [b]}]}}]",
        "rules[0].objectSelector.matchExpressions[0]: operator must be one of In, NotIn, Exists, DoesNotExist");
    assertRefused("rules: [{objectSelector: {matchExpressions: [{key: a, operator: In}]}}]", "needs at least one value");
    assertRefused("rules: [{objectSelector: {matchExpressions: [{operator: Exists}]}}]", "'key' is required");
    assertRefused("rules: [{objectSelector: {matchExpressions: [{key: a, operator: Exists, values: [b]}]}}]",
        "takes no values");
    assertRefused("rules: [{objectSelector: {matchExpressions: [{key: '', operator: Exists}]}}]",
        "key must not be empty");
    assertRefused("rules: [{name: a}, {name: a}]", "rule name 'a' is used twice");
    assertRefused("rules: {name: a}", "rules must be a list");
    assertRefused("nodeSelector: {}", "nodeSelector must name at least one label");
    assertRefused("nodeSelector: {type: [a]}", "nodeSelector.type must be a string");
    assertRefused("optOutLabel: disabled", "optOutLabel must look like key=value");
    assertRefused("tolerations: [{key: k, operator: Exists, value: v}]", "tolerations[0]: toleration with operator Exists takes no value");
    assertRefused("tolerations: [{key: k, effect: Never}]", "toleration effect must be NoSchedule");
    assertRefused("rules: [\n  - name: a\n  name: b", "not valid YAML or JSON");
    assertRefused("a: 1\na: 2", "not valid YAML or JSON");
    assertRefused("- just\n- a list", "the configuration must be a mapping");
  }

  private static void assertRefused(String text, String message) {
    assertThatThrownBy(() -> ConfigParser.parse(text))
        .isInstanceOf(ConfigParser.InvalidConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void modesHaveTheirConfigNames() {
    assertThat(List.of(InjectionMode.values())).extracting(InjectionMode::configName).containsExactly("require", "prefer");
  }
}
