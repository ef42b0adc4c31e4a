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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves what a pod's containers see before the pod is handed to the provider, the way a kubelet
 * does: service link variables, {@code envFrom}, {@code env} with {@code configMapKeyRef},
 * {@code secretKeyRef}, {@code fieldRef} and {@code resourceFieldRef}, {@code $(VAR)} expansion in
 * values, commands and arguments. Fields only the backend knows ({@link PodEnvironment#DEFERRED_FIELDS})
 * are left for the provider. Internal to vk4j.
 */
public final class EnvResolver {
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

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
    List<V1Container> containers = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    containers.addAll(pod.getSpec().getContainers());
    for (V1Container container : containers) {
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

  private void resolveContainer(V1Pod pod, V1Container container, Map<String, String> serviceEnv,
      List<EnvResolution.Event> events, List<String> failures) throws ProviderException {
    String namespace = pod.getMetadata().getNamespace();
    // values by name, for $(VAR); deferred variables are absent so that references to them stay
    Map<String, String> values = new HashMap<>();
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
          define(out, values, new V1EnvVar().name(name).value(entry.getValue()));
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
          out.remove(var.getName());
          values.remove(var.getName());
          out.put(var.getName(), new V1EnvVar().name(var.getName()).valueFrom(
              new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector()
                  .apiVersion(var.getValueFrom().getFieldRef().getApiVersion())
                  .fieldPath(var.getValueFrom().getFieldRef().getFieldPath()))));
          continue;
        }
        Optional<String> value = valueOf(pod, container, var, values, serviceEnv, events, failures);
        value.ifPresent(v -> define(out, values, new V1EnvVar().name(var.getName()).value(v)));
      }
    }

    for (Map.Entry<String, String> service : serviceEnv.entrySet()) {
      if (!out.containsKey(service.getKey())) {
        out.put(service.getKey(), new V1EnvVar().name(service.getKey()).value(service.getValue()));
      }
    }
    Map<String, String> all = new HashMap<>(serviceEnv);
    all.putAll(values);
    container.setEnv(out.isEmpty() ? null : new ArrayList<>(out.values()));
    container.setEnvFrom(null);
    if (container.getCommand() != null) {
      container.setCommand(container.getCommand().stream().map(c -> VarExpansion.expand(c, all)).toList());
    }
    if (container.getArgs() != null) {
      container.setArgs(container.getArgs().stream().map(a -> VarExpansion.expand(a, all)).toList());
    }
  }

  private static void define(LinkedHashMap<String, V1EnvVar> out, Map<String, String> values, V1EnvVar var) {
    out.remove(var.getName()); // a redefinition moves to the end, after what it may refer to
    out.put(var.getName(), var);
    values.put(var.getName(), var.getValue());
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

  private Optional<String> valueOf(V1Pod pod, V1Container container, V1EnvVar var, Map<String, String> values,
      Map<String, String> serviceEnv, List<EnvResolution.Event> events, List<String> failures)
      throws ProviderException {
    V1EnvVarSource from = var.getValueFrom();
    if (from == null) {
      if (var.getValue() == null) {
        return Optional.of("");
      }
      Map<String, String> scope = new HashMap<>(serviceEnv);
      scope.putAll(values);
      return Optional.of(VarExpansion.expand(var.getValue(), scope));
    }
    String namespace = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      try {
        return Optional.of(fieldValue(pod, from.getFieldRef().getFieldPath()));
      } catch (IllegalArgumentException e) {
        failures.add("env " + var.getName() + " of container " + container.getName() + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    if (from.getResourceFieldRef() != null) {
      V1Container target = container;
      String containerName = from.getResourceFieldRef().getContainerName();
      if (containerName != null && !containerName.isEmpty() && !containerName.equals(container.getName())) {
        target = findContainer(pod, containerName);
        if (target == null) {
          failures.add("env " + var.getName() + ": no container named " + containerName);
          return Optional.empty();
        }
      }
      try {
        return Optional.of(ResourceFields.value(from.getResourceFieldRef(), target, nodeAllocatable.get()));
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

  private static V1Container findContainer(V1Pod pod, String name) {
    for (V1Container c : pod.getSpec().getContainers()) {
      if (name.equals(c.getName())) {
        return c;
      }
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (V1Container c : pod.getSpec().getInitContainers()) {
        if (name.equals(c.getName())) {
          return c;
        }
      }
    }
    return null;
  }

  /** The value of a {@code fieldRef} that the runtime resolves itself. */
  static String fieldValue(V1Pod pod, String path) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    switch (path) {
      case "metadata.name":
        return pod.getMetadata().getName();
      case "metadata.namespace":
        return pod.getMetadata().getNamespace();
      case "metadata.uid":
        return pod.getMetadata().getUid();
      case "metadata.labels":
        return formatMap(labels);
      case "metadata.annotations":
        return formatMap(annotations);
      case "spec.nodeName":
        return nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName":
        return nullToEmpty(pod.getSpec().getServiceAccountName());
      default:
        Matcher subscript = SUBSCRIPT.matcher(path);
        if (subscript.matches()) {
          Map<String, String> map = subscript.group(1).equals("labels") ? labels : annotations;
          return map == null ? "" : nullToEmpty(map.get(subscript.group(2)));
        }
        throw new IllegalArgumentException("unsupported fieldRef " + path);
    }
  }

  private static String formatMap(Map<String, String> map) {
    if (map == null) {
      return "";
    }
    return new TreeMap<>(map).entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")
        .collect(Collectors.joining("\n"));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
