package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.webhook.LabelSelectorRequirement.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  private static LabelSelectorRequirement requirement(String key, Operator operator, String... values) {
    return LabelSelectorRequirement.builder().key(key).operator(operator).values(List.of(values)).build();
  }

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(LabelSelector.everything().matches(Map.of())).isTrue();
    assertThat(LabelSelector.everything().matches(Map.of("a", "b"))).isTrue();
    assertThat(LabelSelector.everything().isEmpty()).isTrue();
  }

  @Test
  void matchLabelsNeedEveryPair() {
    LabelSelector selector = LabelSelector.builder().putMatchLabels("eci", "true").putMatchLabels("app", "web").build();
    assertThat(selector.matches(Map.of("eci", "true", "app", "web", "x", "y"))).isTrue();
    assertThat(selector.matches(Map.of("eci", "true"))).isFalse();
    assertThat(selector.matches(Map.of("eci", "false", "app", "web"))).isFalse();
  }

  @Test
  void inNeedsTheKeyWithOneOfTheValues() {
    LabelSelectorRequirement in = requirement("tier", Operator.IN, "web", "api");
    assertThat(in.matches(Map.of("tier", "api"))).isTrue();
    assertThat(in.matches(Map.of("tier", "db"))).isFalse();
    assertThat(in.matches(Map.of())).isFalse();
  }

  @Test
  void notInAlsoMatchesWhenTheKeyIsAbsent() {
    LabelSelectorRequirement notIn = requirement("tier", Operator.NOT_IN, "db");
    assertThat(notIn.matches(Map.of("tier", "web"))).isTrue();
    assertThat(notIn.matches(Map.of())).isTrue();
    assertThat(notIn.matches(Map.of("tier", "db"))).isFalse();
  }

  @Test
  void existsAndDoesNotExistLookAtTheKeyOnly() {
    assertThat(requirement("burst", Operator.EXISTS).matches(Map.of("burst", ""))).isTrue();
    assertThat(requirement("burst", Operator.EXISTS).matches(Map.of())).isFalse();
    assertThat(requirement("pinned", Operator.DOES_NOT_EXIST).matches(Map.of())).isTrue();
    assertThat(requirement("pinned", Operator.DOES_NOT_EXIST).matches(Map.of("pinned", "x"))).isFalse();
  }

  @Test
  void labelsAndExpressionsAreAnded() {
    LabelSelector selector = LabelSelector.builder().putMatchLabels("eci", "true")
        .addMatchExpressions(requirement("tier", Operator.NOT_IN, "db")).build();
    assertThat(selector.matches(Map.of("eci", "true", "tier", "web"))).isTrue();
    assertThat(selector.matches(Map.of("eci", "true", "tier", "db"))).isFalse();
    assertThat(selector.matches(Map.of("tier", "web"))).isFalse();
  }

  @Test
  void invalidRequirementsAreRefused() {
    assertThatThrownBy(() -> requirement("tier", Operator.IN)).hasMessageContaining("needs at least one value");
    assertThatThrownBy(() -> requirement("tier", Operator.EXISTS, "x")).hasMessageContaining("takes no values");
    assertThatThrownBy(() -> requirement("", Operator.EXISTS)).hasMessageContaining("key must not be empty");
  }
}
