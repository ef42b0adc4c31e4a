package io.vk4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodEnvironmentTest {
  private final Map<String, String> vars = Map.of("A", "alpha", "B", "beta", "EMPTY", "");

  @Test
  void expandsDefinedVariables() {
    assertThat(PodEnvironment.expand("$(A)-$(B)", vars)).isEqualTo("alpha-beta");
    assertThat(PodEnvironment.expand("x$(EMPTY)y", vars)).isEqualTo("xy");
  }

  @Test
  void keepsUndefinedReferences() {
    assertThat(PodEnvironment.expand("$(NOPE) and $(A)", vars)).isEqualTo("$(NOPE) and alpha");
  }

  @Test
  void doubleDollarEscapes() {
    assertThat(PodEnvironment.expand("$$(A)", vars)).isEqualTo("$(A)");
    assertThat(PodEnvironment.expand("$$$(A)", vars)).isEqualTo("$alpha");
    assertThat(PodEnvironment.expand("cost: $$5", vars)).isEqualTo("cost: $5");
  }

  @Test
  void leavesOtherDollarsAndIncompleteReferences() {
    assertThat(PodEnvironment.expand("$A $ $(A", vars)).isEqualTo("$A $ $(A");
    assertThat(PodEnvironment.expand("end$", vars)).isEqualTo("end$");
    assertThat(PodEnvironment.expand(null, vars)).isNull();
  }

  @Test
  void aTemplateExpandsToWhatExpandingTheInputGives() {
    Map<String, String> templates = Map.of("A", PodEnvironment.escape("al$pha"), "IP", "$(IP)");
    for (String input : List.of("$(A)-$(IP)", "$$(A) $$(IP)", "$(NOPE) $A $ $(A", "end$", "$$$(A)", "plain")) {
      String template = PodEnvironment.template(input, templates);
      assertThat(PodEnvironment.expand(template, Map.of("IP", "10.0.0.7")))
          .as("expanded template of %s (%s)", input, template)
          .isEqualTo(PodEnvironment.expand(input, Map.of("A", "al$pha", "IP", "10.0.0.7")));
    }
  }

  @Test
  void resolveAddressesExpandsDeferredReferencesOnceAndHonoursEscapes() {
    V1Container container = new V1Container().name("main")
        .env(new ArrayList<>(List.of(
            deferred("POD_IP", "status.podIP"),
            new V1EnvVar().name("URL").value("http://$(POD_IP):80"),
            // the runtime escaped these: $$(POD_IP) in the spec, and a ConfigMap value "$(POD_IP)"
            new V1EnvVar().name("ESCAPED").value("$$(POD_IP)"),
            new V1EnvVar().name("FROM_CONFIG_MAP").value("$$(POD_IP)"))))
        .command(List.of("serve", "--on=$(POD_IP)", "--cost=$$5"));
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p").namespace("ns"))
        .spec(new V1PodSpec().containers(List.of(container)));

    PodEnvironment.resolveAddresses(pod, "10.0.0.7", "192.168.0.1");
    PodEnvironment.resolveAddresses(pod, "10.9.9.9", "192.168.9.9"); // nothing left to do

    assertThat(container.getEnv()).extracting(V1EnvVar::getName, V1EnvVar::getValue).containsExactly(
        org.assertj.core.groups.Tuple.tuple("POD_IP", "10.0.0.7"),
        org.assertj.core.groups.Tuple.tuple("URL", "http://10.0.0.7:80"),
        org.assertj.core.groups.Tuple.tuple("ESCAPED", "$(POD_IP)"),
        org.assertj.core.groups.Tuple.tuple("FROM_CONFIG_MAP", "$(POD_IP)"));
    assertThat(container.getEnv().get(0).getValueFrom()).isNull();
    assertThat(container.getCommand()).containsExactly("serve", "--on=10.0.0.7", "--cost=$5");
  }

  @Test
  void containersWithoutDeferredVariablesHaveFinalValuesAndAreLeftAlone() {
    V1Container container = new V1Container().name("main")
        .env(new ArrayList<>(List.of(new V1EnvVar().name("PRICE").value("$$5"))))
        .args(List.of("$$(POD_IP)"));
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p").namespace("ns"))
        .spec(new V1PodSpec().containers(List.of(container)));

    PodEnvironment.resolveAddresses(pod, "10.0.0.7", "192.168.0.1");

    assertThat(container.getEnv().get(0).getValue()).isEqualTo("$$5");
    assertThat(container.getArgs()).containsExactly("$$(POD_IP)");
  }

  private static V1EnvVar deferred(String name, String field) {
    return new V1EnvVar().name(name).valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath(field)));
  }
}
