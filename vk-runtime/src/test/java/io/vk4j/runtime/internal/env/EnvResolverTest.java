package io.vk4j.runtime.internal.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretEnvSource;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.vk4j.api.PodEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

  private final InMemorySources sources = new InMemorySources();
  private final EnvResolver resolver = new EnvResolver(sources,
      () -> Map.of("cpu", Quantity.fromString("4"), "memory", Quantity.fromString("8Gi")));

  private static V1Pod pod(V1Container container) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().namespace("ns").name("web").uid("uid-1")
            .labels(Map.of("app", "web")).annotations(Map.of("team", "blue")))
        .spec(new V1PodSpec().nodeName("vk-1").serviceAccountName("sa").containers(new ArrayList<>(List.of(container))));
  }

  private static V1EnvVar field(String name, String path) {
    return new V1EnvVar().name(name).valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath(path)));
  }

  private static Map<String, String> env(V1Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    pod.getSpec().getContainers().get(0).getEnv().forEach(v -> env.put(v.getName(), v.getValue()));
    return env;
  }

  @Test
  void fieldRefsAndExpansionInValuesCommandsAndArgs() throws Exception {
    V1Container c = new V1Container().name("main").image("busybox")
        .env(List.of(
            field("NAME", "metadata.name"), field("NS", "metadata.namespace"), field("UID", "metadata.uid"),
            field("APP", "metadata.labels['app']"), field("TEAM", "metadata.annotations['team']"),
            field("NODE", "spec.nodeName"), field("SA", "spec.serviceAccountName"),
            new V1EnvVar().name("GREETING").value("hello $(NAME) in $(NS), $$(NAME) $(MISSING)")))
        .command(List.of("echo", "$(GREETING)"))
        .args(List.of("$(NODE)", "$$(NODE)"));
    V1Pod pod = pod(c);
    EnvResolution result = resolver.resolve(pod);
    assertThat(result.failure()).isEmpty();
    Map<String, String> env = env(pod);
    assertThat(env).containsEntry("NAME", "web").containsEntry("NS", "ns").containsEntry("UID", "uid-1")
        .containsEntry("APP", "web").containsEntry("TEAM", "blue").containsEntry("NODE", "vk-1")
        .containsEntry("SA", "sa")
        .containsEntry("GREETING", "hello web in ns, $(NAME) $(MISSING)");
    assertThat(c.getCommand()).containsExactly("echo", "hello web in ns, $(NAME) $(MISSING)");
    assertThat(c.getArgs()).containsExactly("vk-1", "$(NODE)");
  }

  @Test
  void podIpIsDeferredToTheProviderAndReferencesStayUnexpanded() throws Exception {
    V1Container c = new V1Container().name("main")
        .env(List.of(field("POD_IP", "status.podIP"),
            new V1EnvVar().name("URL").value("http://$(POD_IP):8080")))
        .args(List.of("--bind=$(POD_IP)"));
    V1Pod pod = pod(c);
    resolver.resolve(pod);
    V1EnvVar podIp = c.getEnv().stream().filter(v -> v.getName().equals("POD_IP")).findFirst().orElseThrow();
    assertThat(PodEnvironment.isDeferred(podIp)).isTrue();
    assertThat(env(pod)).containsEntry("URL", "http://$(POD_IP):8080");
    assertThat(c.getArgs()).containsExactly("--bind=$(POD_IP)");

    PodEnvironment.resolveAddresses(pod, "10.1.2.3", "192.168.0.1");
    assertThat(env(pod)).containsEntry("POD_IP", "10.1.2.3").containsEntry("URL", "http://10.1.2.3:8080");
    assertThat(c.getArgs()).containsExactly("--bind=10.1.2.3");
  }

  @Test
  void deferredReferencesAreExpandedExactlyOnceWithEscapesHonoured() throws Exception {
    sources.configMaps.put("ns/cfg", new V1ConfigMap().data(Map.of("text", "$(POD_IP) costs $5")));
    V1Container c = new V1Container().name("main")
        .env(List.of(
            new V1EnvVar().name("EARLY").value("$(POD_IP)"), // before POD_IP is defined: literal
            field("POD_IP", "status.podIP"),
            new V1EnvVar().name("ESCAPED").value("$$(POD_IP)"),
            new V1EnvVar().name("FROM_CM").valueFrom(new V1EnvVarSource().configMapKeyRef(
                new V1ConfigMapKeySelector().name("cfg").key("text"))),
            new V1EnvVar().name("URL").value("http://$(POD_IP)/$(FROM_CM)"),
            new V1EnvVar().name("CHAINED").value("[$(URL)]")))
        .args(List.of("$(POD_IP)", "$$(POD_IP)", "$(FROM_CM)"));
    V1Pod pod = pod(c);
    resolver.resolve(pod);

    PodEnvironment.resolveAddresses(pod, "10.1.2.3", "192.168.0.1");

    assertThat(env(pod))
        .containsEntry("EARLY", "$(POD_IP)")
        .containsEntry("POD_IP", "10.1.2.3")
        .containsEntry("ESCAPED", "$(POD_IP)")
        .containsEntry("FROM_CM", "$(POD_IP) costs $5")
        .containsEntry("URL", "http://10.1.2.3/$(POD_IP) costs $5")
        .containsEntry("CHAINED", "[http://10.1.2.3/$(POD_IP) costs $5]");
    assertThat(c.getArgs()).containsExactly("10.1.2.3", "$(POD_IP)", "$(POD_IP) costs $5");
  }

  @Test
  void withoutDeferredVariablesTheProviderGetsFinalValues() throws Exception {
    sources.configMaps.put("ns/cfg", new V1ConfigMap().data(Map.of("price", "$$5")));
    V1Container c = new V1Container().name("main")
        .env(List.of(new V1EnvVar().name("PRICE").valueFrom(new V1EnvVarSource().configMapKeyRef(
            new V1ConfigMapKeySelector().name("cfg").key("price"))),
            new V1EnvVar().name("SAY").value("pay $(PRICE) $$(PRICE)")));
    V1Pod pod = pod(c);
    resolver.resolve(pod);
    assertThat(env(pod)).containsEntry("PRICE", "$$5").containsEntry("SAY", "pay $$5 $(PRICE)");
  }

  @Test
  void secretsAndConfigMapsWithEnvFromPrefixes() throws Exception {
    sources.secrets.put("ns/db", new V1Secret().data(Map.of("password", "s3cret".getBytes(StandardCharsets.UTF_8))));
    sources.configMaps.put("ns/cfg", new V1ConfigMap().data(Map.of("mode", "fast", "bad key", "x")));
    V1Container c = new V1Container().name("main")
        .envFrom(List.of(new V1EnvFromSource().prefix("CFG_").configMapRef(new V1ConfigMapEnvSource().name("cfg")),
            new V1EnvFromSource().secretRef(new V1SecretEnvSource().name("db"))))
        .env(List.of(
            new V1EnvVar().name("PW").valueFrom(new V1EnvVarSource().secretKeyRef(
                new V1SecretKeySelector().name("db").key("password"))),
            new V1EnvVar().name("MODE").valueFrom(new V1EnvVarSource().configMapKeyRef(
                new V1ConfigMapKeySelector().name("cfg").key("mode"))),
            new V1EnvVar().name("DSN").value("$(CFG_mode)/$(password)")));
    V1Pod pod = pod(c);
    EnvResolution result = resolver.resolve(pod);
    assertThat(result.failure()).isEmpty();
    assertThat(env(pod)).containsEntry("CFG_mode", "fast").containsEntry("password", "s3cret")
        .containsEntry("PW", "s3cret").containsEntry("MODE", "fast").containsEntry("DSN", "fast/s3cret")
        .doesNotContainKey("CFG_bad key");
    assertThat(result.events()).extracting(EnvResolution.Event::reason).containsExactly("InvalidEnvironmentVariableNames");
    assertThat(c.getEnvFrom()).isNull();
  }

  @Test
  void missingOptionalReferencesAreSkippedWithAnEvent() throws Exception {
    V1Container c = new V1Container().name("main").env(List.of(
        new V1EnvVar().name("PW").valueFrom(new V1EnvVarSource().secretKeyRef(
            new V1SecretKeySelector().name("nope").key("k").optional(true))),
        new V1EnvVar().name("CM").valueFrom(new V1EnvVarSource().configMapKeyRef(
            new V1ConfigMapKeySelector().name("nope").key("k").optional(true))),
        new V1EnvVar().name("KEPT").value("yes")));
    V1Pod pod = pod(c);
    EnvResolution result = resolver.resolve(pod);
    assertThat(result.failure()).isEmpty();
    assertThat(result.events()).extracting(EnvResolution.Event::reason)
        .containsExactly("OptionalSecretNotFound", "OptionalConfigMapNotFound");
    assertThat(env(pod)).containsOnlyKeys("KEPT");
  }

  @Test
  void missingMandatoryReferencesFailTheResolution() throws Exception {
    sources.secrets.put("ns/db", new V1Secret().data(Map.of("other", new byte[] {1})));
    V1Container c = new V1Container().name("main").env(List.of(
        new V1EnvVar().name("PW").valueFrom(new V1EnvVarSource().secretKeyRef(
            new V1SecretKeySelector().name("db").key("password"))),
        new V1EnvVar().name("CM").valueFrom(new V1EnvVarSource().configMapKeyRef(
            new V1ConfigMapKeySelector().name("nope").key("k")))));
    EnvResolution result = resolver.resolve(pod(c));
    assertThat(result.events()).extracting(EnvResolution.Event::reason)
        .containsExactly("MandatorySecretKeyNotFound", "MandatoryConfigMapNotFound");
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.reason()).isEqualTo("CreateContainerConfigError");
      assertThat(f.message()).contains("password").contains("nope");
    });
  }

  @Test
  void serviceLinksFromTheNamespaceAndTheApiServerService() throws Exception {
    sources.services.put("default", List.of(ServiceLinksTest.service("kubernetes", "10.0.0.1",
        new V1ServicePort().name("https").port(443).protocol("TCP"))));
    sources.services.put("ns", List.of(ServiceLinksTest.service("db", "10.0.0.7",
        new V1ServicePort().port(5432).protocol("TCP"))));
    V1Container c = new V1Container().name("main").env(List.of(
        new V1EnvVar().name("DB").value("$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)")));
    V1Pod pod = pod(c);
    resolver.resolve(pod);
    assertThat(env(pod)).containsEntry("KUBERNETES_SERVICE_HOST", "10.0.0.1")
        .containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("DB_SERVICE_HOST", "10.0.0.7")
        .containsEntry("DB", "10.0.0.7:5432");

    V1Pod noLinks = pod(new V1Container().name("main"));
    noLinks.getSpec().setEnableServiceLinks(false);
    resolver.resolve(noLinks);
    assertThat(env(noLinks)).containsKey("KUBERNETES_SERVICE_HOST").doesNotContainKey("DB_SERVICE_HOST");
  }

  @Test
  void resourceFieldRefOfAnotherContainerAndDefaultLimits() throws Exception {
    V1Container c = new V1Container().name("main").env(List.of(
        new V1EnvVar().name("CPU").valueFrom(new V1EnvVarSource().resourceFieldRef(
            new V1ResourceFieldSelector().resource("limits.cpu").divisor(Quantity.fromString("1m")))),
        new V1EnvVar().name("MEM").valueFrom(new V1EnvVarSource().resourceFieldRef(
            new V1ResourceFieldSelector().resource("limits.memory").divisor(Quantity.fromString("1Gi"))))));
    V1Pod pod = pod(c);
    resolver.resolve(pod);
    assertThat(env(pod)).containsEntry("CPU", "4000").containsEntry("MEM", "8");
  }
}
