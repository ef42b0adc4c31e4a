package io.vk4j.eci.emulator;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.io.BaseEncoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/** A checked CreateContainerGroup request: what the group was asked to be. */
final class GroupSpec {

  static final int MAX_TAGS = 20;
  private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][-a-z0-9]{0,126}[a-z0-9]");
  static final int MAX_VSWITCHES = 10;
  private static final List<String> VOLUME_TYPES =
      List.of("EmptyDirVolume", "NFSVolume", "ConfigFileVolume", "DiskVolume", "FlexVolume", "HostPathVolume");

  final String name;
  final String restartPolicy;
  final Optional<String> zoneId;
  final Optional<String> securityGroupId;
  final ImmutableList<String> vSwitchIds;
  final boolean randomVSwitchOrder;
  final Optional<String> instanceType;
  final Optional<Double> cpu;
  final Optional<Double> memory;
  final Optional<String> clientToken;
  final ImmutableMap<String, String> tags;
  final ImmutableList<ContainerSpec> containers;
  final ImmutableList<ContainerSpec> initContainers;
  final ImmutableList<Map<String, Object>> volumes;
  /** Decoded content of config-file volumes: volume name -> relative path -> bytes as text. */
  final ImmutableMap<String, ImmutableMap<String, String>> configFiles;
  /** Permission bits of config files (the octal Mode, else the volume's DefaultMode, else 0644). */
  final ImmutableMap<String, ImmutableMap<String, Integer>> configFileModes;
  /** What {@code hostname} answers inside the group: HostName, else the group name. */
  final String hostName;
  final Map<String, Object> dnsConfig;
  final ImmutableList<Map<String, Object>> hostAliases;
  final ImmutableList<Map<String, Object>> imageRegistryCredentials;
  final ImmutableSortedMap<String, String> parameters;
  final FlatParams raw;

  private GroupSpec(Map<String, String> flat) {
    this.parameters = ImmutableSortedMap.copyOf(flat);
    FlatParams p = FlatParams.of(flat);
    this.raw = p;
    this.name = p.required("ContainerGroupName");
    if (!GROUP_NAME.matcher(name).matches()) {
      throw ApiException.invalidParameter("ContainerGroupName", "2 to 128 lower-case letters, digits and hyphens, not starting or ending with a hyphen: " + name);
    }
    this.restartPolicy = p.string("RestartPolicy").orElse("Always");
    if (!List.of("Always", "Never", "OnFailure").contains(restartPolicy)) {
      throw ApiException.invalidParameter("RestartPolicy", "must be Always, Never or OnFailure: " + restartPolicy);
    }
    this.zoneId = p.string("ZoneId");
    this.securityGroupId = p.string("SecurityGroupId");
    this.vSwitchIds = ImmutableList.copyOf(Splitter.on(',').trimResults().omitEmptyStrings().split(p.string("VSwitchId").orElse("")));
    if (vSwitchIds.size() > MAX_VSWITCHES) {
      throw ApiException.invalidParameter("VSwitchId", "at most " + MAX_VSWITCHES + " vSwitches, got " + vSwitchIds.size());
    }
    if (new HashSet<>(vSwitchIds).size() != vSwitchIds.size()) {
      throw ApiException.invalidParameter("VSwitchId", "a vSwitch is listed twice: " + vSwitchIds);
    }
    String strategy = p.string("ScheduleStrategy").orElse("VSwitchOrdered");
    if (!List.of("VSwitchOrdered", "VSwitchRandom").contains(strategy)) {
      throw ApiException.invalidParameter("ScheduleStrategy", "must be VSwitchOrdered or VSwitchRandom: " + strategy);
    }
    this.randomVSwitchOrder = strategy.equals("VSwitchRandom");
    this.instanceType = p.string("InstanceType");
    this.cpu = boxed(p.number("Cpu"));
    this.memory = boxed(p.number("Memory"));
    this.clientToken = p.string("ClientToken");
    clientToken.ifPresent(token -> {
      if (token.length() > 64 || !token.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
        throw ApiException.invalidParameter("ClientToken", "at most 64 ASCII characters");
      }
    });
    Map<String, String> tagMap = new LinkedHashMap<>();
    for (FlatParams tag : p.list("Tag")) {
      String key = tag.required("Key");
      if (tagMap.put(key, tag.string("Value").orElse("")) != null) {
        throw ApiException.invalidParameter(tag.path() + ".Key", "duplicate tag key " + key);
      }
    }
    if (tagMap.size() > MAX_TAGS) {
      throw ApiException.invalidParameter("Tag", "at most " + MAX_TAGS + " tags, got " + tagMap.size());
    }
    this.tags = ImmutableMap.copyOf(tagMap);

    this.containers = parseContainers(p, "Container");
    if (containers.isEmpty()) {
      throw ApiException.missingParameter("Container.1.Name");
    }
    this.initContainers = parseContainers(p, "InitContainer");
    Set<String> names = new HashSet<>();
    for (ContainerSpec c : concat(initContainers, containers)) {
      if (!names.add(c.name)) {
        throw ApiException.invalidParameter(c.raw.path() + ".Name", "duplicate container name " + c.name);
      }
    }

    ImmutableList.Builder<Map<String, Object>> volumeList = ImmutableList.builder();
    ImmutableMap.Builder<String, ImmutableMap<String, String>> files = ImmutableMap.builder();
    ImmutableMap.Builder<String, ImmutableMap<String, Integer>> modes = ImmutableMap.builder();
    Set<String> volumeNames = new HashSet<>();
    for (FlatParams v : p.list("Volume")) {
      String volumeName = v.required("Name");
      String type = v.required("Type");
      if (!VOLUME_TYPES.contains(type)) {
        throw ApiException.invalidParameter(v.path() + ".Type", "must be one of " + VOLUME_TYPES + ": " + type);
      }
      if (!volumeNames.add(volumeName)) {
        throw ApiException.invalidParameter(v.path() + ".Name", "duplicate volume name " + volumeName);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("Name", volumeName);
      out.put("Type", type);
      switch (type) {
        case "ConfigFileVolume" -> {
          FlatParams config = v.object("ConfigFileVolume");
          List<Map<String, Object>> paths = new ArrayList<>();
          ImmutableMap.Builder<String, String> decoded = ImmutableMap.builder();
          ImmutableMap.Builder<String, Integer> fileModes = ImmutableMap.builder();
          int defaultMode = octalMode(config.string("DefaultMode")).orElse(0644);
          Set<String> seenPaths = new HashSet<>();
          for (FlatParams file : config.list("ConfigFileToPath")) {
            String path = file.required("Path");
            if (path.startsWith("/") || path.contains("..")) {
              throw ApiException.invalidParameter(file.path() + ".Path", "must be relative without '..': " + path);
            }
            if (!seenPaths.add(path)) {
              throw ApiException.invalidParameter(file.path() + ".Path", "duplicate path " + path);
            }
            String content = file.string("Content").orElse("");
            byte[] bytes;
            try {
              bytes = BaseEncoding.base64().decode(content);
            } catch (IllegalArgumentException e) {
              throw ApiException.invalidParameter(file.path() + ".Content", "must be Base64: " + e.getMessage());
            }
            if (bytes.length > CreateLimits.MAX_CONFIG_FILE_BYTES) {
              throw ApiException.invalidParameter(file.path() + ".Content", "a config file holds at most "
                  + CreateLimits.MAX_CONFIG_FILE_BYTES + " bytes, got " + bytes.length);
            }
            decoded.put(path, new String(bytes, StandardCharsets.UTF_8));
            fileModes.put(path, octalMode(file.string("Mode")).orElse(defaultMode));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Path", path);
            entry.put("Content", content);
            file.string("Mode").ifPresent(mode -> entry.put("Mode", mode));
            paths.add(entry);
          }
          config.string("DefaultMode").ifPresent(mode -> out.put("ConfigFileVolumeDefaultMode", mode));
          out.put("ConfigFileVolumeConfigFileToPaths", paths);
          files.put(volumeName, decoded.buildOrThrow());
          modes.put(volumeName, fileModes.buildOrThrow());
        }
        case "NFSVolume" -> {
          FlatParams nfs = v.object("NFSVolume");
          out.put("NFSVolumeServer", nfs.required("Server"));
          out.put("NFSVolumePath", nfs.required("Path"));
          out.put("NFSVolumeReadOnly", nfs.bool("ReadOnly").orElse(false));
        }
        case "EmptyDirVolume" -> {
          FlatParams emptyDir = v.object("EmptyDirVolume");
          emptyDir.string("Medium").ifPresent(m -> out.put("EmptyDirVolumeMedium", m));
          emptyDir.string("SizeLimit").ifPresent(s -> out.put("EmptyDirVolumeSizeLimit", s));
        }
        case "DiskVolume" -> {
          FlatParams disk = v.object("DiskVolume");
          out.put("DiskVolumeDiskId", disk.required("DiskId"));
          disk.string("FsType").ifPresent(s -> out.put("DiskVolumeFsType", s));
        }
        case "FlexVolume" -> {
          FlatParams flex = v.object("FlexVolume");
          out.put("FlexVolumeDriver", flex.required("Driver"));
          flex.string("FsType").ifPresent(s -> out.put("FlexVolumeFsType", s));
          flex.string("Options").ifPresent(s -> out.put("FlexVolumeOptions", s));
        }
        case "HostPathVolume" -> {
          FlatParams hostPath = v.object("HostPathVolume");
          out.put("HostPathVolumePath", hostPath.required("Path"));
          hostPath.string("Type").ifPresent(s -> out.put("HostPathVolumeType", s));
        }
        default -> throw new IllegalStateException(type);
      }
      volumeList.add(out);
    }
    this.volumes = volumeList.build();
    this.configFiles = files.buildOrThrow();
    this.configFileModes = modes.buildOrThrow();
    this.hostName = p.string("HostName").orElse(name);
    for (ContainerSpec c : concat(initContainers, containers)) {
      for (Map<String, Object> mount : c.volumeMounts) {
        if (!volumeNames.contains((String) mount.get("Name"))) {
          throw ApiException.invalidParameter(c.raw.path() + ".VolumeMount", "mounts unknown volume " + mount.get("Name"));
        }
      }
    }

    FlatParams dns = p.object("DnsConfig");
    Map<String, Object> dnsOut = new LinkedHashMap<>();
    if (!dns.isEmpty()) {
      dnsOut.put("NameServers", dns.strings("NameServer"));
      dnsOut.put("Searches", dns.strings("Search"));
      List<Map<String, Object>> options = new ArrayList<>();
      for (FlatParams option : dns.list("Option")) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("Name", option.required("Name"));
        option.string("Value").ifPresent(value -> o.put("Value", value));
        options.add(o);
      }
      dnsOut.put("Options", options);
    }
    this.dnsConfig = dnsOut;
    ImmutableList.Builder<Map<String, Object>> aliases = ImmutableList.builder();
    for (FlatParams alias : p.list("HostAliase")) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("Ip", alias.required("Ip"));
      a.put("Hostnames", alias.strings("Hostname"));
      aliases.add(a);
    }
    this.hostAliases = aliases.build();
    ImmutableList.Builder<Map<String, Object>> credentials = ImmutableList.builder();
    for (FlatParams credential : p.list("ImageRegistryCredential")) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("Server", credential.required("Server"));
      c.put("UserName", credential.required("UserName"));
      credential.required("Password");
      credentials.add(c);
    }
    this.imageRegistryCredentials = credentials.build();
  }

  /** A mode in the documented octal form; anything else is left to {@link CreateLimits} to refuse. */
  private static Optional<Integer> octalMode(Optional<String> mode) {
    return mode.filter(m -> CreateLimits.FILE_MODE.matcher(m).matches()).map(m -> Integer.parseInt(m, 8));
  }

  static GroupSpec parse(Map<String, String> flat) {
    return new GroupSpec(flat);
  }

  private static ImmutableList<ContainerSpec> parseContainers(FlatParams p, String name) {
    ImmutableList.Builder<ContainerSpec> result = ImmutableList.builder();
    for (FlatParams c : p.list(name)) {
      result.add(ContainerSpec.parse(c));
    }
    return result.build();
  }

  private static List<ContainerSpec> concat(List<ContainerSpec> a, List<ContainerSpec> b) {
    List<ContainerSpec> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Optional<Double> boxed(OptionalDouble d) {
    return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
  }

  /** Group CPU: the request's, else the containers' sum, else ECI's default of 2 cores. */
  double effectiveCpu() {
    return cpu.orElseGet(() -> {
      double sum = containers.stream().mapToDouble(c -> c.cpu.orElse(0)).sum();
      return sum > 0 ? sum : 2.0;
    });
  }

  /** Group memory in GiB: the request's, else the containers' sum, else ECI's default of 4 GiB. */
  double effectiveMemory() {
    return memory.orElseGet(() -> {
      double sum = containers.stream().mapToDouble(c -> c.memory.orElse(0)).sum();
      return sum > 0 ? sum : 4.0;
    });
  }
}
