package io.vk4j.runtime.internal.env;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapKeySelector;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1Service;
import io.vk4j.api.DownwardApi;
import io.vk4j.api.PodContainers;
import io.vk4j.api.PodEnvironment;
import io.vk4j.api.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Resolves what a pod's containers see before the pod is handed to the provider, the way a kubelet
 * does: service link variables, {@code envFrom}, {@code env} with {@code configMapKeyRef},
 * {@code secretKeyRef}, {@code fieldRef} and {@code resourceFieldRef}, {@code $(VAR)} expansion in
 * values, commands and arguments. Fields only the backend knows ({@link PodEnvironment#DEFERRED_FIELDS})
 * are left for the provider. Internal to vk4j.
 */
public final class EnvResolver {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private final EnvSources sources;
  private final Supplier<Map<String, Quantity>> nodeAllocatable;

  public EnvResolver(EnvSources sources, Supplier<Map<String, Quantity>> nodeAllocatable) {
    this.sources = sources;
    this.nodeAllocatable = nodeAllocatable;
  }

  /**
   * Resolves, in {@code pod} itself (a copy the caller owns), the environment, commands and
   * arguments of every container and init container.
   *
   * @throws ProviderException when the API server could not be read (retry later)
   */
  public EnvResolution resolve(V1Pod pod) throws ProviderException {
    List<EnvResolution.Event> events = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    if (pod.getSpec() == null) {
      return new EnvResolution(events, Optional.empty());
    }
    Map<String, String> serviceEnv = serviceEnv(pod);
    for (V1Container container : PodContainers.all(pod)) {
      resolveContainer(pod, container, serviceEnv, events, failures);
    }
    Optional<EnvResolution.Failure> failure = failures.isEmpty() ? Optional.empty()
        : Optional.of(new EnvResolution.Failure(EnvResolution.CONFIG_ERROR, String.join("; ", failures)));
    return new EnvResolution(events, failure);
  }

  private Map<String, String> serviceEnv(V1Pod pod) throws ProviderException {
    Map<String, V1Service> byName = new LinkedHashMap<>();
    // like the kubelet: the API server's own service always, the namespace's when links are on
    sources.service("default", "kubernetes").ifPresent(s -> byName.put("kubernetes", s));
    if (!Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())) {
      for (V1Service service : sources.services(pod.getMetadata().getNamespace())) {
        byName.putIfAbsent(service.getMetadata().getName(), service);
      }
    }
    return ServiceLinks.variables(new ArrayList<>(byName.values()));
  }

  /**
   * Resolves one container. Values are built as templates of {@link PodEnvironment#template}, so
   * that a container with deferred variables is left with references to those only; any other
   * container gets final values.
   */
  private void resolveContainer(V1Pod pod, V1Container container, Map<String, String> serviceEnv,
      List<EnvResolution.Event> events, List<String> failures) throws ProviderException {
    String namespace = pod.getMetadata().getNamespace();
    // by name, what each variable expands to: an escaped value, or a template for deferred ones
    Map<String, String> templates = new HashMap<>();
    serviceEnv.forEach((name, value) -> templates.put(name, PodEnvironment.escape(value)));
    LinkedHashMap<String, V1EnvVar> out = new LinkedHashMap<>();

    if (container.getEnvFrom() != null) {
      for (V1EnvFromSource from : container.getEnvFrom()) {
        Map<String, String> data = envFromData(namespace, container, from, events, failures);
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<String, String> entry : data.entrySet()) {
          String name = prefix + entry.getKey();
          if (!ENV_NAME.matcher(name).matches()) {
            invalid.add(name);
            continue;
          }
          define(out, templates, new V1EnvVar().name(name), PodEnvironment.escape(entry.getValue()));
        }
        if (!invalid.isEmpty()) {
          events.add(new EnvResolution.Event(true, "InvalidEnvironmentVariableNames",
              "Keys [" + String.join(", ", invalid) + "] from the EnvFrom of container "
                  + container.getName() + " were skipped since they are considered invalid environment variable names."));
        }
      }
    }

    if (container.getEnv() != null) {
      for (V1EnvVar var : container.getEnv()) {
        if (PodEnvironment.isDeferred(var)) {
          define(out, templates, new V1EnvVar().name(var.getName()).valueFrom(
              new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector()
                  .apiVersion(var.getValueFrom().getFieldRef().getApiVersion())
                  .fieldPath(var.getValueFrom().getFieldRef().getFieldPath()))), "$(" + var.getName() + ")");
          continue;
        }
        Optional<String> template = templateOf(pod, container, var, templates, events, failures);
        template.ifPresent(t -> define(out, templates, new V1EnvVar().name(var.getName()), t));
      }
    }

    for (Map.Entry<String, String> service : serviceEnv.entrySet()) {
      if (!out.containsKey(service.getKey())) {
        out.put(service.getKey(), new V1EnvVar().name(service.getKey()).value(templates.get(service.getKey())));
      }
    }
    if (container.getCommand() != null) {
      container.setCommand(container.getCommand().stream().map(c -> PodEnvironment.template(c, templates)).toList());
    }
    if (container.getArgs() != null) {
      container.setArgs(container.getArgs().stream().map(a -> PodEnvironment.template(a, templates)).toList());
    }
    container.setEnv(out.isEmpty() ? null : new ArrayList<>(out.values()));
    container.setEnvFrom(null);
    if (!PodEnvironment.hasDeferred(container)) {
      finalizeTemplates(container);
    }
  }

  /** Turns the templates of a container without deferred variables into their values. */
  private static void finalizeTemplates(V1Container container) {
    Map<String, String> none = Map.of();
    if (container.getEnv() != null) {
      container.getEnv().forEach(var -> var.setValue(PodEnvironment.expand(var.getValue(), none)));
    }
    if (container.getCommand() != null) {
      container.setCommand(container.getCommand().stream().map(c -> PodEnvironment.expand(c, none)).toList());
    }
    if (container.getArgs() != null) {
      container.setArgs(container.getArgs().stream().map(a -> PodEnvironment.expand(a, none)).toList());
    }
  }

  /** Defines (or redefines) a variable; {@code template} is what references to it expand to. */
  private static void define(LinkedHashMap<String, V1EnvVar> out, Map<String, String> templates, V1EnvVar var,
      String template) {
    if (var.getValueFrom() == null) {
      var.setValue(template);
    }
    out.remove(var.getName()); // a redefinition moves to the end, after what it may refer to
    out.put(var.getName(), var);
    templates.put(var.getName(), template);
  }

  private Map<String, String> envFromData(String namespace, V1Container container, V1EnvFromSource from,
      List<EnvResolution.Event> events, List<String> failures) throws ProviderException {
    Map<String, String> data = new TreeMap<>();
    if (from.getConfigMapRef() != null) {
      String name = from.getConfigMapRef().getName();
      boolean optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
      Optional<V1ConfigMap> configMap = sources.configMap(namespace, name);
      if (configMap.isEmpty()) {
        missing(optional, "ConfigMap", "NotFound", "configmap \"" + name + "\" not found",
            container, events, failures);
      } else {
        if (configMap.get().getData() != null) {
          data.putAll(configMap.get().getData());
        }
        if (configMap.get().getBinaryData() != null) {
          configMap.get().getBinaryData().forEach((k, v) -> data.put(k, new String(v, StandardCharsets.UTF_8)));
        }
      }
    } else if (from.getSecretRef() != null) {
      String name = from.getSecretRef().getName();
      boolean optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
      Optional<V1Secret> secret = sources.secret(namespace, name);
      if (secret.isEmpty()) {
        missing(optional, "Secret", "NotFound", "secret \"" + name + "\" not found", container, events, failures);
      } else if (secret.get().getData() != null) {
        secret.get().getData().forEach((k, v) -> data.put(k, new String(v, StandardCharsets.UTF_8)));
      }
    }
    return data;
  }

  /** The template of one variable, or empty when it is left out (a missing reference). */
  private Optional<String> templateOf(V1Pod pod, V1Container container, V1EnvVar var, Map<String, String> templates,
      List<EnvResolution.Event> events, List<String> failures) throws ProviderException {
    V1EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return Optional.of(var.getValue() == null ? "" : PodEnvironment.template(var.getValue(), templates));
    }
    return valueOf(pod, container, var, events, failures).map(PodEnvironment::escape);
  }

  /** The value a {@code valueFrom} names. */
  private Optional<String> valueOf(V1Pod pod, V1Container container, V1EnvVar var,
      List<EnvResolution.Event> events, List<String> failures) throws ProviderException {
    V1EnvVarSource from = var.getValueFrom();
    String namespace = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      try {
        return Optional.of(DownwardApi.fieldValue(pod, from.getFieldRef().getFieldPath()));
      } catch (IllegalArgumentException e) {
        failures.add("env " + var.getName() + " of container " + container.getName() + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    if (from.getResourceFieldRef() != null) {
      V1Container target = container;
      String containerName = from.getResourceFieldRef().getContainerName();
      if (containerName != null && !containerName.isEmpty() && !containerName.equals(container.getName())) {
        Optional<V1Container> named = PodContainers.named(pod, containerName);
        if (named.isEmpty()) {
          failures.add("env " + var.getName() + ": no container named " + containerName);
          return Optional.empty();
        }
        target = named.get();
      }
      try {
        return Optional.of(DownwardApi.resourceValue(from.getResourceFieldRef(), target, nodeAllocatable.get()));
      } catch (IllegalArgumentException e) {
        failures.add("env " + var.getName() + " of container " + container.getName() + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    if (from.getConfigMapKeyRef() != null) {
      V1ConfigMapKeySelector ref = from.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<V1ConfigMap> configMap = sources.configMap(namespace, ref.getName());
      if (configMap.isEmpty()) {
        missing(optional, "ConfigMap", "NotFound", "configmap \"" + ref.getName() + "\" not found",
            container, events, failures);
        return Optional.empty();
      }
      String value = configMap.get().getData() == null ? null : configMap.get().getData().get(ref.getKey());
      if (value == null && configMap.get().getBinaryData() != null
          && configMap.get().getBinaryData().containsKey(ref.getKey())) {
        value = new String(configMap.get().getBinaryData().get(ref.getKey()), StandardCharsets.UTF_8);
      }
      if (value == null) {
        missing(optional, "ConfigMap", "KeyNotFound", "key \"" + ref.getKey() + "\" not found in configmap \""
            + ref.getName() + "\"", container, events, failures);
        return Optional.empty();
      }
      return Optional.of(value);
    }
    if (from.getSecretKeyRef() != null) {
      V1SecretKeySelector ref = from.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Optional<V1Secret> secret = sources.secret(namespace, ref.getName());
      if (secret.isEmpty()) {
        missing(optional, "Secret", "NotFound", "secret \"" + ref.getName() + "\" not found",
            container, events, failures);
        return Optional.empty();
      }
      byte[] value = secret.get().getData() == null ? null : secret.get().getData().get(ref.getKey());
      if (value == null) {
        missing(optional, "Secret", "KeyNotFound", "key \"" + ref.getKey() + "\" not found in secret \""
            + ref.getName() + "\"", container, events, failures);
        return Optional.empty();
      }
      return Optional.of(new String(value, StandardCharsets.UTF_8));
    }
    return Optional.of("");
  }

  /** Records a missing reference as a Warning event; a mandatory one also fails the pod for now. */
  private static void missing(boolean optional, String kind, String what, String detail, V1Container container,
      List<EnvResolution.Event> events, List<String> failures) {
    String reason = (optional ? "Optional" : "Mandatory") + kind + what;
    String message = (optional ? "optional " : "") + detail + " (container " + container.getName() + ")";
    events.add(new EnvResolution.Event(true, reason, message));
    if (!optional) {
      failures.add(detail);
    }
  }
}
