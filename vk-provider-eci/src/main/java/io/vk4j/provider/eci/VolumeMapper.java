package io.vk4j.provider.eci;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapProjection;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DownwardAPIVolumeFile;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecretProjection;
import io.kubernetes.client.openapi.models.V1ServiceAccountTokenProjection;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeProjection;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.DownwardApi;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodContainers;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Maps a pod's volumes to ECI volumes: emptyDir and NFS directly; ConfigMap, Secret, downward API
 * and projected volumes (the service-account token every pod gets, the cluster CA) as config-file
 * volumes whose files are written at creation, with items, modes and binary data honoured. A
 * volume ECI cannot serve fails the pod, naming the volume and why.
 */
final class VolumeMapper {
  static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
  private static final int DEFAULT_MODE = 0644;
  private static final long DEFAULT_TOKEN_SECONDS = 3607;

  private final V1Pod pod;
  private final ClusterResources resources;
  private final String namespace;

  private VolumeMapper(V1Pod pod, ClusterResources resources) {
    this.pod = pod;
    this.resources = resources;
    this.namespace = pod.getMetadata().getNamespace();
  }

  /** A file of a config-file volume. */
  record ConfigFile(String path, byte[] content, Integer mode) {}

  /**
   * Writes {@code Volume.N.*} for every volume of the pod.
   *
   * @throws InvalidInputException for a volume type ECI cannot serve
   * @throws RetryableException when a Secret or ConfigMap a volume needs does not exist (yet)
   */
  static void map(V1Pod pod, ClusterResources resources, EciParams params) throws ProviderException {
    List<V1Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    VolumeMapper mapper = new VolumeMapper(pod, resources);
    int index = 1;
    for (V1Volume volume : volumes) {
      mapper.map(volume, params.child("Volume." + index++));
    }
  }

  private void map(V1Volume volume, EciParams out) throws ProviderException {
    out.put("Name", volume.getName());
    if (volume.getEmptyDir() != null) {
      out.put("Type", "EmptyDirVolume");
      if ("Memory".equals(volume.getEmptyDir().getMedium())) {
        out.put("EmptyDirVolume.Medium", "Memory");
      }
      Quantity size = volume.getEmptyDir().getSizeLimit();
      if (size != null) {
        out.put("EmptyDirVolume.SizeLimit", sizeLimit(size));
      }
    } else if (volume.getNfs() != null) {
      out.put("Type", "NFSVolume");
      out.put("NFSVolume.Server", volume.getNfs().getServer());
      out.put("NFSVolume.Path", volume.getNfs().getPath());
      out.put("NFSVolume.ReadOnly", Boolean.TRUE.equals(volume.getNfs().getReadOnly()));
    } else if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      Optional<Map<String, byte[]>> data = configMapData(source.getName(), Boolean.TRUE.equals(source.getOptional()),
          volume.getName());
      configFiles(out, volume.getName(), source.getDefaultMode(),
          data.isEmpty() ? List.of() : files(volume.getName(), "ConfigMap " + source.getName(), data.get(),
              source.getItems(), Boolean.TRUE.equals(source.getOptional())));
    } else if (volume.getSecret() != null) {
      var source = volume.getSecret();
      Optional<Map<String, byte[]>> data = secretData(source.getSecretName(), Boolean.TRUE.equals(source.getOptional()),
          volume.getName());
      configFiles(out, volume.getName(), source.getDefaultMode(),
          data.isEmpty() ? List.of() : files(volume.getName(), "Secret " + source.getSecretName(), data.get(),
              source.getItems(), Boolean.TRUE.equals(source.getOptional())));
    } else if (volume.getDownwardAPI() != null) {
      configFiles(out, volume.getName(), volume.getDownwardAPI().getDefaultMode(),
          downwardApiFiles(volume.getName(), volume.getDownwardAPI().getItems()));
    } else if (volume.getProjected() != null) {
      configFiles(out, volume.getName(), volume.getProjected().getDefaultMode(), projectedFiles(volume));
    } else {
      throw new InvalidInputException("UnsupportedVolume", "volume '" + volume.getName() + "' is "
          + describeType(volume) + ", which ECI cannot mount; ECI serves emptyDir, nfs, configMap, secret,"
          + " downwardAPI and projected volumes");
    }
  }

  private static String describeType(V1Volume volume) {
    if (volume.getHostPath() != null) {
      return "a hostPath volume (" + volume.getHostPath().getPath() + "): a virtual node has no host to share";
    }
    if (volume.getPersistentVolumeClaim() != null) {
      return "a persistentVolumeClaim volume (" + volume.getPersistentVolumeClaim().getClaimName()
          + "): this provider does not attach cloud disks";
    }
    String json = io.kubernetes.client.openapi.JSON.serialize(volume);
    com.google.gson.JsonObject fields = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    fields.remove("name");
    return fields.keySet().stream().findFirst().map(type -> "a " + type + " volume")
        .orElse("a volume of a type this provider does not know");
  }

  private void configFiles(EciParams out, String volume, Integer defaultMode, List<ConfigFile> files)
      throws InvalidInputException {
    if (files.isEmpty()) {
      // an optional source that does not exist: Kubernetes mounts an empty directory
      out.put("Type", "EmptyDirVolume");
      return;
    }
    EciLimits.Problems problems = new EciLimits.Problems();
    for (ConfigFile f : files) {
      if (f.content().length > EciLimits.MAX_CONFIG_FILE_BYTES) {
        problems.limit("volume '" + volume + "' file " + f.path(), f.content().length + " bytes", "an ECI config file"
            + " holds at most " + EciLimits.MAX_CONFIG_FILE_BYTES + " bytes");
      }
    }
    problems.throwIfAny();
    out.put("Type", "ConfigFileVolume");
    out.put("ConfigFileVolume.DefaultMode", fileMode(defaultMode == null ? DEFAULT_MODE : defaultMode));
    out.putEach("ConfigFileVolume.ConfigFileToPath", files, (file, f) -> {
      file.put("Path", f.path());
      file.put("Content", Base64.getEncoder().encodeToString(f.content()));
      file.put("Mode", f.mode() == null ? null : fileMode(f.mode()));
    });
  }

  /**
   * A mode as the API reference writes it, four octal digits ({@code 0644}); Kubernetes holds the number
   * ({@code 420} in JSON).
   */
  static String fileMode(int mode) {
    return String.format("%04o", mode & 07777);
  }

  /** A size ECI reads: whole MiB, or GiB when it is whole GiB (Kubernetes may write 1G or bytes). */
  static String sizeLimit(Quantity size) {
    BigDecimal mib = size.getNumber().divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.CEILING);
    return mib.remainder(BigDecimal.valueOf(1024)).signum() == 0 && mib.signum() > 0
        ? mib.divide(BigDecimal.valueOf(1024)).toPlainString() + "Gi" : mib.toPlainString() + "Mi";
  }

  private List<ConfigFile> files(String volume, String sourceName, Map<String, byte[]> data, List<V1KeyToPath> items,
      boolean optional) throws RetryableException {
    List<ConfigFile> files = new ArrayList<>();
    if (items == null || items.isEmpty()) {
      new TreeMap<>(data).forEach((key, content) -> files.add(new ConfigFile(key, content, null)));
      return files;
    }
    for (V1KeyToPath item : items) {
      byte[] content = data.get(item.getKey());
      if (content == null) {
        if (optional) {
          continue;
        }
        throw new RetryableException("VolumeKeyNotFound", "volume '" + volume + "': " + sourceName
            + " has no key '" + item.getKey() + "'");
      }
      files.add(new ConfigFile(item.getPath(), content, item.getMode()));
    }
    return files;
  }

  private Optional<Map<String, byte[]>> configMapData(String name, boolean optional, String volume)
      throws ProviderException {
    if (ROOT_CA_CONFIG_MAP.equals(name)) {
      Optional<String> ca = resources.rootCaCertificate(namespace);
      if (ca.isPresent()) {
        return Optional.of(Map.of("ca.crt", ca.get().getBytes(StandardCharsets.UTF_8)));
      }
    }
    Optional<V1ConfigMap> configMap = resources.configMap(namespace, name);
    if (configMap.isEmpty()) {
      if (optional) {
        return Optional.empty();
      }
      throw new RetryableException("VolumeSourceNotFound", "volume '" + volume + "': ConfigMap " + namespace + "/"
          + name + " does not exist");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (configMap.get().getData() != null) {
      configMap.get().getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.get().getBinaryData() != null) {
      data.putAll(configMap.get().getBinaryData());
    }
    return Optional.of(data);
  }

  private Optional<Map<String, byte[]>> secretData(String name, boolean optional, String volume)
      throws ProviderException {
    Optional<V1Secret> secret = resources.secret(namespace, name);
    if (secret.isEmpty()) {
      if (optional) {
        return Optional.empty();
      }
      throw new RetryableException("VolumeSourceNotFound", "volume '" + volume + "': Secret " + namespace + "/"
          + name + " does not exist");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.get().getData() != null) {
      data.putAll(secret.get().getData());
    }
    if (secret.get().getStringData() != null) {
      secret.get().getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.of(data);
  }

  private List<ConfigFile> projectedFiles(V1Volume volume) throws ProviderException {
    List<ConfigFile> files = new ArrayList<>();
    List<V1VolumeProjection> sources = volume.getProjected().getSources();
    for (V1VolumeProjection source : sources == null ? List.<V1VolumeProjection>of() : sources) {
      if (source.getServiceAccountToken() != null) {
        V1ServiceAccountTokenProjection token = source.getServiceAccountToken();
        List<String> audiences = token.getAudience() == null ? List.of() : List.of(token.getAudience());
        long seconds = token.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS : token.getExpirationSeconds();
        String value = resources.serviceAccountToken(pod, audiences, Duration.ofSeconds(seconds));
        files.add(new ConfigFile(token.getPath(), value.getBytes(StandardCharsets.UTF_8), null));
      } else if (source.getConfigMap() != null) {
        V1ConfigMapProjection configMap = source.getConfigMap();
        boolean optional = Boolean.TRUE.equals(configMap.getOptional());
        Optional<Map<String, byte[]>> data = configMapData(configMap.getName(), optional, volume.getName());
        if (data.isPresent()) {
          files.addAll(files(volume.getName(), "ConfigMap " + configMap.getName(), data.get(), configMap.getItems(),
              optional));
        }
      } else if (source.getSecret() != null) {
        V1SecretProjection secret = source.getSecret();
        boolean optional = Boolean.TRUE.equals(secret.getOptional());
        Optional<Map<String, byte[]>> data = secretData(secret.getName(), optional, volume.getName());
        if (data.isPresent()) {
          files.addAll(files(volume.getName(), "Secret " + secret.getName(), data.get(), secret.getItems(), optional));
        }
      } else if (source.getDownwardAPI() != null) {
        files.addAll(downwardApiFiles(volume.getName(), source.getDownwardAPI().getItems()));
      } else {
        throw new InvalidInputException("UnsupportedVolume", "projected volume '" + volume.getName()
            + "' has a source ECI cannot serve (only serviceAccountToken, configMap, secret and downwardAPI)");
      }
    }
    return files;
  }

  private List<ConfigFile> downwardApiFiles(String volume, List<V1DownwardAPIVolumeFile> items)
      throws InvalidInputException {
    List<ConfigFile> files = new ArrayList<>();
    for (V1DownwardAPIVolumeFile item : items == null ? List.<V1DownwardAPIVolumeFile>of() : items) {
      String value;
      if (item.getFieldRef() != null) {
        value = fieldValue(volume, item.getFieldRef().getFieldPath());
      } else if (item.getResourceFieldRef() != null) {
        value = resourceValue(volume, item.getResourceFieldRef());
      } else {
        throw new InvalidInputException("UnsupportedVolume", "downward API item '" + item.getPath()
            + "' of volume '" + volume + "' names neither a field nor a resource");
      }
      files.add(new ConfigFile(item.getPath(), value.getBytes(StandardCharsets.UTF_8), item.getMode()));
    }
    return files;
  }

  private String fieldValue(String volume, String path) throws InvalidInputException {
    try {
      return DownwardApi.fieldValue(pod, path);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("UnsupportedVolume", "downward API volume '" + volume + "' asks for field '"
          + path + "', which is not known when the container group is created");
    }
  }

  /** Like the kubelet, rounded up; unset limits fall back to requests, then to ECI's default size. */
  private String resourceValue(String volume, V1ResourceFieldSelector selector) throws InvalidInputException {
    V1Container container = findContainer(selector.getContainerName()).orElseThrow(() ->
        new InvalidInputException("UnsupportedVolume", "downward API volume '" + volume + "' names container '"
            + selector.getContainerName() + "', which the pod does not have"));
    Map<String, Quantity> limitsWhenUnset = new HashMap<>(Map.of("cpu", Quantity.fromString("2"), "memory", Quantity.fromString("4Gi")));
    if (container.getResources() != null && container.getResources().getRequests() != null) {
      limitsWhenUnset.putAll(container.getResources().getRequests());
    }
    try {
      return DownwardApi.resourceValue(selector, container, limitsWhenUnset);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("UnsupportedVolume", "downward API volume '" + volume + "': " + e.getMessage());
    }
  }

  private Optional<V1Container> findContainer(String name) {
    List<V1Container> all = PodContainers.all(pod);
    if (name == null && all.size() == 1) {
      return Optional.of(all.get(0));
    }
    return PodContainers.named(pod, name);
  }
}
