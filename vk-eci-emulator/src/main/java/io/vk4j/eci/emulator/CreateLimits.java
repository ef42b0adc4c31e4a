package io.vk4j.eci.emulator;

import com.google.common.base.Splitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The documented limits of a container group (CreateContainerGroup, and UpdateContainerGroup's result),
 * checked against a parsed request. Each violation is answered as ECI's API reference documents the field's
 * bound; where the reference is ambiguous the stricter reading is enforced (docs/eci-emulator.md lists both).
 * Kept apart from the provider's own copy ({@code EciLimits}) on purpose: each is read from the documentation,
 * so that a mistake in one fails the other's tests instead of being shared.
 */
final class CreateLimits {

  static final int MAX_CONTAINERS = 20;
  static final int MAX_VOLUMES = 20;
  static final int MAX_ARGS = 10;
  static final int MAX_COMMAND_ENTRIES = 20;
  static final int MAX_COMMAND_ENTRY_LENGTH = 256;
  static final int MAX_ENV_VALUE_LENGTH = 256;
  static final int MAX_CONFIG_FILE_BYTES = 32 * 1024;
  static final int MAX_TAG_KEY_LENGTH = 64;
  static final int MAX_TAG_VALUE_LENGTH = 128;
  static final int MAX_SECURITY_GROUPS = 5;
  static final Set<String> CAPABILITIES = Set.of("NET_ADMIN", "NET_RAW");
  static final Set<String> GROUP_SYSCTLS = Set.of("net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  /** Four octal digits, the form the API reference shows ({@code 0644}). */
  static final Pattern FILE_MODE = Pattern.compile("0[0-7]{3}");
  private static final Pattern SIZE_WITH_UNIT = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)");
  private static final Pattern ECS_INSTANCE_TYPE = Pattern.compile("ecs\\.[a-z0-9-]+\\.[a-z0-9-]+");
  private static final Pattern GPU_INSTANCE_TYPE = Pattern.compile("ecs\\.(gn|sgn|vgn)[a-z0-9-]*\\.[a-z0-9-]+");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[a-zA-Z0-9]+");

  private CreateLimits() {}

  static void check(GroupSpec spec, Set<AccountFeature> features) {
    int containers = spec.containers.size() + spec.initContainers.size();
    if (containers > MAX_CONTAINERS) {
      throw ApiException.invalidParameter("Container", "at most " + MAX_CONTAINERS
          + " containers and init containers together, got " + containers);
    }
    if (spec.volumes.size() > MAX_VOLUMES) {
      throw ApiException.invalidParameter("Volume", "at most " + MAX_VOLUMES + " volumes, got " + spec.volumes.size());
    }
    securityGroups(spec);
    instanceTypes(spec);
    tags(spec.raw);
    sysctls(spec.raw);
    volumes(spec.raw, features);
    List<ContainerSpec> all = new ArrayList<>(spec.initContainers);
    all.addAll(spec.containers);
    for (ContainerSpec c : all) {
      container(c, spec, features);
    }
  }

  private static void securityGroups(GroupSpec spec) {
    if (spec.securityGroupId.isEmpty()) {
      return;
    }
    List<String> groups = Splitter.on(',').trimResults().splitToList(spec.securityGroupId.get());
    if (groups.size() > MAX_SECURITY_GROUPS) {
      throw ApiException.invalidParameter("SecurityGroupId", "at most " + MAX_SECURITY_GROUPS + " security groups, got "
          + groups.size());
    }
    for (String group : groups) {
      if (!SECURITY_GROUP.matcher(group).matches()) {
        throw ApiException.invalidParameter("SecurityGroupId", "not a security group id: " + group);
      }
    }
  }

  private static void instanceTypes(GroupSpec spec) {
    if (spec.instanceType.isEmpty()) {
      return;
    }
    for (String type : Splitter.on(',').trimResults().split(spec.instanceType.get())) {
      if (!ECS_INSTANCE_TYPE.matcher(type).matches()) {
        throw ApiException.invalidParameter("InstanceType", "an ECS instance type such as ecs.c6.large (vCPU and memory"
            + " go in Cpu and Memory), not " + type);
      }
    }
  }

  private static void tags(FlatParams p) {
    for (FlatParams tag : p.list("Tag")) {
      String key = tag.required("Key");
      String value = tag.string("Value").orElse("");
      if (key.length() > MAX_TAG_KEY_LENGTH) {
        throw ApiException.invalidParameter(tag.path() + ".Key", "at most " + MAX_TAG_KEY_LENGTH + " characters, got "
            + key.length());
      }
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.startsWith("acs:") || lower.startsWith("aliyun") || hasUrl(key)) {
        throw ApiException.invalidParameter(tag.path() + ".Key", "must not start with acs: or aliyun nor contain"
            + " http:// or https://: " + key);
      }
      if (value.length() > MAX_TAG_VALUE_LENGTH) {
        throw ApiException.invalidParameter(tag.path() + ".Value", "at most " + MAX_TAG_VALUE_LENGTH
            + " characters, got " + value.length());
      }
      if (value.toLowerCase(Locale.ROOT).startsWith("acs:") || hasUrl(value)) {
        throw ApiException.invalidParameter(tag.path() + ".Value", "must not start with acs: nor contain http:// or"
            + " https://: " + value);
      }
    }
  }

  private static boolean hasUrl(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("http://") || lower.contains("https://");
  }

  private static void sysctls(FlatParams p) {
    for (FlatParams sysctl : p.object("SecurityContext").list("Sysctl")) {
      String name = sysctl.required("Name");
      if (!GROUP_SYSCTLS.contains(name)) {
        throw ApiException.invalidParameter(sysctl.path() + ".Name", "SecurityContext.Sysctl takes only " + GROUP_SYSCTLS
            + "; other sysctls go in HostSecurityContext.Sysctl: " + name);
      }
    }
    for (FlatParams sysctl : p.object("HostSecurityContext").list("Sysctl")) {
      String name = sysctl.required("Name");
      if (!isHostSysctl(name)) {
        throw ApiException.invalidParameter(sysctl.path() + ".Name", "HostSecurityContext.Sysctl takes kernel.shm*"
            + " (not kernel.shm_rmid_forced), kernel.msg*, kernel.sem, fs.mqueue.* and net.* (not"
            + " net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start): " + name);
      }
    }
  }

  /** The unsafe sysctls ECI lets a group set through HostSecurityContext. */
  static boolean isHostSysctl(String name) {
    if (name.startsWith("kernel.shm")) {
      return !name.equals("kernel.shm_rmid_forced");
    }
    if (name.startsWith("net.")) {
      return !name.equals("net.ipv4.tcp_syncookies") && !GROUP_SYSCTLS.contains(name);
    }
    return name.startsWith("kernel.msg") || name.equals("kernel.sem") || name.startsWith("fs.mqueue.");
  }

  private static void volumes(FlatParams p, Set<AccountFeature> features) {
    for (FlatParams v : p.list("Volume")) {
      String type = v.string("Type").orElse("");
      if (type.equals("HostPathVolume") && !features.contains(AccountFeature.HOST_PATH_VOLUMES)) {
        throw notAllowListed(v.path() + ".Type", "HostPath volumes");
      }
      FlatParams config = v.object("ConfigFileVolume");
      config.string("DefaultMode").ifPresent(mode -> fileMode(config.path() + ".DefaultMode", mode));
      for (FlatParams file : config.list("ConfigFileToPath")) {
        file.string("Mode").ifPresent(mode -> fileMode(file.path() + ".Mode", mode));
      }
      v.object("EmptyDirVolume").string("SizeLimit").ifPresent(size -> {
        if (!SIZE_WITH_UNIT.matcher(size).matches()) {
          throw ApiException.invalidParameter(v.path() + ".EmptyDirVolume.SizeLimit", "a size with a unit such as 256Mi or"
              + " 1Gi: " + size);
        }
      });
    }
  }

  private static ApiException notAllowListed(String name, String feature) {
    return ApiException.invalidParameter(name, feature + " are available only to accounts ECI has put on its allow"
        + " list (a support ticket)");
  }

  private static void fileMode(String name, String mode) {
    if (!FILE_MODE.matcher(mode).matches()) {
      throw ApiException.invalidParameter(name, "four octal digits such as 0644: " + mode);
    }
  }

  private static void container(ContainerSpec c, GroupSpec spec, Set<AccountFeature> features) {
    FlatParams p = c.raw;
    FlatParams security = p.object("SecurityContext");
    for (String capability : security.object("Capability").strings("Add")) {
      if (!CAPABILITIES.contains(capability)) {
        throw ApiException.invalidParameter(security.path() + ".Capability.Add", "only NET_ADMIN and NET_RAW may be"
            + " added: " + capability);
      }
      if (capability.equals("NET_RAW") && !features.contains(AccountFeature.NET_RAW)) {
        throw notAllowListed(security.path() + ".Capability.Add", "NET_RAW additions");
      }
    }
    security.string("ReadOnlyRootFilesystem").ifPresent(value -> {
      if (!value.equals("true")) {
        throw ApiException.invalidParameter(security.path() + ".ReadOnlyRootFilesystem", "only true is accepted: "
            + value);
      }
    });
    if (p.bool("SecurityContextPrivileged").orElse(false) && !features.contains(AccountFeature.PRIVILEGED_CONTAINERS)) {
      throw notAllowListed(p.path() + ".SecurityContextPrivileged", "privileged containers");
    }
    for (String probe : List.of("ReadinessProbe", "LivenessProbe", "StartupProbe")) {
      p.object(probe).integer("SuccessThreshold").ifPresent(threshold -> {
        if (threshold != 1) {
          throw ApiException.invalidParameter(p.path() + "." + probe + ".SuccessThreshold", "must be 1: " + threshold);
        }
      });
    }
    for (FlatParams env : p.list("EnvironmentVar")) {
      String key = env.required("Key");
      if (!ENV_KEY.matcher(key).matches()) {
        throw ApiException.invalidParameter(env.path() + ".Key", "1 to 128 letters, digits and underscores, not"
            + " starting with a digit: " + key);
      }
      String value = env.string("Value").orElse("");
      if (value.length() > MAX_ENV_VALUE_LENGTH) {
        throw ApiException.invalidParameter(env.path() + ".Value", "at most " + MAX_ENV_VALUE_LENGTH
            + " characters, got " + value.length());
      }
    }
    if (c.args.size() > MAX_ARGS) {
      throw ApiException.invalidParameter(p.path() + ".Arg", "at most " + MAX_ARGS + " arguments, got " + c.args.size());
    }
    if (c.commands.size() > MAX_COMMAND_ENTRIES) {
      throw ApiException.invalidParameter(p.path() + ".Command", "at most " + MAX_COMMAND_ENTRIES + " entries, got "
          + c.commands.size());
    }
    for (int i = 0; i < c.commands.size(); i++) {
      if (c.commands.get(i).length() > MAX_COMMAND_ENTRY_LENGTH) {
        throw ApiException.invalidParameter(p.path() + ".Command." + (i + 1), "at most " + MAX_COMMAND_ENTRY_LENGTH
            + " characters, got " + c.commands.get(i).length());
      }
    }
    p.string("TerminationMessagePolicy").ifPresent(policy -> {
      if (!policy.equals("FallbackToLogsOnError")) {
        throw ApiException.invalidParameter(p.path() + ".TerminationMessagePolicy", "empty by default; the only"
            + " documented value is FallbackToLogsOnError, not " + policy);
      }
    });
    if (p.integer("Gpu").orElse(0) > 0 && spec.instanceType.stream()
        .flatMap(t -> Splitter.on(',').trimResults().splitToStream(t)).noneMatch(t -> GPU_INSTANCE_TYPE.matcher(t).matches())) {
      throw ApiException.invalidParameter(p.path() + ".Gpu", "a container with GPUs needs a GPU-accelerated InstanceType"
          + " (ecs.gn*), which ECI does not pick from vCPU and memory");
    }
  }
}
