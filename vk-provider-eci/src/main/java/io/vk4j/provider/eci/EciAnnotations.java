package io.vk4j.provider.eci;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.vk4j.api.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code k8s.aliyun.com/*} pod annotations ACK users already write (and {@code kubernetes.io/ingress-bandwidth}
 * and {@code egress-bandwidth}), validated and turned into CreateContainerGroup parameters. Every invalid value
 * is reported, naming the annotation and the value, in one {@link InvalidInputException}.
 */
final class EciAnnotations {
  static final String PREFIX = "k8s.aliyun.com/";
  static final String USE_SPECS = PREFIX + "eci-use-specs";
  static final String INSTANCE_TYPE = PREFIX + "eci-instance-type";
  static final String VSWITCH = PREFIX + "eci-vswitch";
  static final String SECURITY_GROUP = PREFIX + "eci-security-group";
  static final String SCHEDULE_STRATEGY = PREFIX + "eci-schedule-strategy";
  static final String SPOT_STRATEGY = PREFIX + "eci-spot-strategy";
  static final String SPOT_PRICE_LIMIT = PREFIX + "eci-spot-price-limit";
  static final String SPOT_DURATION = PREFIX + "eci-spot-duration";
  static final String IMAGE_CACHE = PREFIX + "eci-image-cache";
  static final String AUTO_IMC = PREFIX + "eci-auto-imc";
  static final String IMAGE_SNAPSHOT_ID = PREFIX + "eci-image-snapshot-id";
  static final String IMC_ID = PREFIX + "eci-imc-id";
  static final String WITH_EIP = PREFIX + "eci-with-eip";
  static final String EIP_BANDWIDTH = PREFIX + "eip-bandwidth";
  static final String EIP_INSTANCE_ID = PREFIX + "eci-eip-instanceid";
  static final String RAM_ROLE_NAME = PREFIX + "eci-ram-role-name";
  static final String RESOURCE_GROUP_ID = PREFIX + "eci-resource-group-id";
  static final String NTP_SERVER = PREFIX + "eci-ntp-server";
  static final String FAIL_ON_CREATE_ERROR = PREFIX + "pod-fail-on-create-err";
  static final String FAIL_STRATEGY = PREFIX + "eci-fail-strategy";
  static final String MAX_PENDING_MINUTE = PREFIX + "eci-max-pending-minute";
  static final String EXTRA_EPHEMERAL_STORAGE = PREFIX + "eci-extra-ephemeral-storage";
  static final String CUSTOM_TAGS = PREFIX + "eci-custom-tags";
  static final String GPU_TYPE = PREFIX + "eci-gpu-type";
  static final String GPU_DRIVER_VERSION = PREFIX + "eci-gpu-driver-version";
  static final String CPU_OPTION_CORE = PREFIX + "eci-cpu-option-core";
  static final String CPU_OPTION_HT = PREFIX + "eci-cpu-option-ht";
  static final String CORE_PATTERN = PREFIX + "eci-core-pattern";
  static final String HOST_SYSCTLS = PREFIX + "eci-host-sysctls";
  static final String ACR_INSTANCE_IDS = PREFIX + "acr-instance-ids";
  static final String PLAIN_HTTP_REGISTRY = PREFIX + "plain-http-registry";
  static final String INSECURE_REGISTRY = PREFIX + "insecure-registry";
  static final String INGRESS_BANDWIDTH = "kubernetes.io/ingress-bandwidth";
  static final String EGRESS_BANDWIDTH = "kubernetes.io/egress-bandwidth";

  /** At most this many tags of {@link #CUSTOM_TAGS}, as ACK documents. */
  static final int MAX_CUSTOM_TAGS = 3;
  /** The documented single-GPU instance type of each GPU model {@link #GPU_TYPE} names (ECI's GPU docs). */
  static final Map<String, String> GPU_INSTANCE_TYPES = Map.of(
      "P4", "ecs.gn5i-c4g1.xlarge",
      "T4", "ecs.gn6i-c4g1.xlarge",
      "V100", "ecs.gn6v-c8g1.2xlarge",
      "A10", "ecs.gn7i-c8g1.2xlarge");

  private static final Pattern CPU_MEMORY_SPEC = Pattern.compile("(\\d+(\\.\\d+)?)-(\\d+(\\.\\d+)?)Gi");
  static final Pattern ECS_TYPE = Pattern.compile("ecs\\.[a-z0-9-]+\\.[a-z0-9-]+");
  static final Pattern GPU_ECS_TYPE = Pattern.compile("ecs\\.(gn|sgn|vgn)[a-z0-9-]*\\.[a-z0-9-]+");
  private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[a-zA-Z0-9]+");
  private static final Pattern SNAPSHOT_ID = Pattern.compile("imc-[a-zA-Z0-9]+");
  private static final Pattern EIP_ID = Pattern.compile("eip-[a-zA-Z0-9]+");
  private static final Pattern ACR_ID = Pattern.compile("cri-[a-zA-Z0-9]+");
  private static final Pattern RAM_ROLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?");
  private static final Pattern DRIVER_VERSION = Pattern.compile("(tesla|grid)=[0-9]+(\\.[0-9]+){0,2}");

  /** One size to try: ECS instance types (several, comma-separated) or a vCPU/memory pair. */
  record InstanceSpec(Optional<String> instanceTypes, Optional<ResourceSizing.Size> size) {
    /** Identifies the size when remembering where it is out of stock. */
    String shape() {
      return instanceTypes.orElseGet(() -> size.map(s -> s.cores().toPlainString() + "-" + s.gib().toPlainString() + "Gi")
          .orElse("ECI's default size"));
    }
  }

  /** What the annotations decide beyond plain parameters. */
  record Placement(Optional<List<String>> vSwitches, Optional<String> securityGroups, List<InstanceSpec> specs,
      boolean failFast, Optional<String> gpuType, Map<String, String> customTags, boolean cpuOptions) {

    /** Whether the annotations name the size, so the provider leaves it to them. */
    boolean sizedByAnnotation() {
      return !specs.isEmpty();
    }
  }

  private final Map<String, String> annotations;
  private final EciParams params;
  private final List<String> problems = new ArrayList<>();

  private EciAnnotations(Map<String, String> annotations, EciParams params) {
    this.annotations = annotations == null ? Map.of() : annotations;
    this.params = params;
  }

  /** Writes the annotations' parameters into {@code params}. */
  static Placement apply(Map<String, String> annotations, EciParams params) throws InvalidInputException {
    return new EciAnnotations(annotations, params).apply();
  }

  private Placement apply() throws InvalidInputException {
    List<InstanceSpec> specs = instanceSpecs();
    Optional<List<String>> vSwitches = value(VSWITCH).map(v -> {
      List<String> ids = split(v);
      if (ids.isEmpty() || ids.size() > EciLimits.MAX_VSWITCHES) {
        invalid(VSWITCH, v, "1 to " + EciLimits.MAX_VSWITCHES + " vSwitch ids, comma-separated");
      }
      ids.stream().filter(id -> !SettingsParser.VSWITCH_ID.matcher(id).matches())
          .forEach(id -> invalid(VSWITCH, v, "'" + id + "' is not a vSwitch id (vsw-...)"));
      return ids;
    });
    Optional<String> securityGroups = value(SECURITY_GROUP).map(v -> {
      List<String> ids = split(v);
      if (ids.isEmpty() || ids.size() > EciLimits.MAX_SECURITY_GROUPS) {
        invalid(SECURITY_GROUP, v, "1 to " + EciLimits.MAX_SECURITY_GROUPS + " security group ids, comma-separated");
      }
      ids.stream().filter(id -> !SECURITY_GROUP_ID.matcher(id).matches())
          .forEach(id -> invalid(SECURITY_GROUP, v, "'" + id + "' is not a security group id (sg-...)"));
      return String.join(",", ids);
    });
    scheduleStrategy();
    spot();
    imageCache();
    eip();
    matching(RAM_ROLE_NAME, RAM_ROLE, "a RAM role name").ifPresent(r -> params.put("RamRoleName", r));
    matching(RESOURCE_GROUP_ID, SettingsParser.RESOURCE_GROUP_ID, "a resource group id (rg-...)")
        .ifPresent(g -> params.put("ResourceGroupId", g));
    value(NTP_SERVER).ifPresent(v -> {
      List<String> servers = split(v);
      servers.stream().filter(s -> !HOST.matcher(s).matches())
          .forEach(s -> invalid(NTP_SERVER, v, "'" + s + "' is not a host name or IP address"));
      params.putList("NtpServer", servers);
    });
    boolean failFast = failStrategy();
    positive(MAX_PENDING_MINUTE, 1, 1440, "a number of minutes from 1 to 1440").ifPresent(m -> params.put("MaxPendingMinute", m));
    ephemeralStorage();
    Map<String, String> customTags = customTags();
    Optional<String> gpuType = oneOf(GPU_TYPE, GPU_INSTANCE_TYPES.keySet().stream().sorted().toArray(String[]::new));
    matching(GPU_DRIVER_VERSION, DRIVER_VERSION, "tesla=<version> or grid=<version>, such as tesla=525.85.12")
        .ifPresent(v -> params.put("GpuDriverVersion", v));
    boolean cpuOptions = cpuOptions();
    value(CORE_PATTERN).ifPresent(v -> {
      if (!v.startsWith("/") || v.contains(" ")) {
        invalid(CORE_PATTERN, v, "an absolute path for core files, such as /pod/data/dump/core (not a |program)");
      } else {
        params.put("CorePattern", v);
      }
    });
    hostSysctls();
    value(ACR_INSTANCE_IDS).ifPresent(v -> {
      List<String> ids = split(v);
      ids.stream().filter(id -> !ACR_ID.matcher(id).matches())
          .forEach(id -> invalid(ACR_INSTANCE_IDS, v, "'" + id + "' is not a Container Registry instance id (cri-...)"));
      params.putEach("AcrRegistryInfo", ids, (info, id) -> info.put("InstanceId", id));
    });
    registries(PLAIN_HTTP_REGISTRY, "PlainHttpRegistry");
    registries(INSECURE_REGISTRY, "InsecureRegistry");
    bandwidth(INGRESS_BANDWIDTH, "IngressBandwidth");
    bandwidth(EGRESS_BANDWIDTH, "EgressBandwidth");
    if (!problems.isEmpty()) {
      throw new InvalidInputException("InvalidAnnotation", String.join("; ", problems));
    }
    return new Placement(vSwitches, securityGroups, specs, failFast, gpuType, customTags, cpuOptions);
  }

  /**
   * eci-use-specs (up to 5, in preference order) wins over the older eci-instance-type. ECS types go to
   * {@code InstanceType} (consecutive ones in one attempt: ECI picks among them), vCPU-memory pairs to
   * {@code Cpu}/{@code Memory}: {@code InstanceType} takes ECS types only.
   */
  private List<InstanceSpec> instanceSpecs() {
    Optional<String> useSpecs = value(USE_SPECS);
    String annotation = useSpecs.isPresent() ? USE_SPECS : INSTANCE_TYPE;
    Optional<String> value = useSpecs.or(() -> value(INSTANCE_TYPE));
    if (value.isEmpty()) {
      return List.of();
    }
    List<String> entries = split(value.get());
    int max = annotation.equals(USE_SPECS) ? 5 : 1;
    if (entries.isEmpty() || entries.size() > max) {
      invalid(annotation, value.get(), max == 1 ? "exactly one instance type" : "1 to 5 specifications, comma-separated");
    }
    List<InstanceSpec> specs = new ArrayList<>();
    List<String> ecsTypes = new ArrayList<>();
    for (String entry : entries) {
      Matcher cpuMemory = CPU_MEMORY_SPEC.matcher(entry);
      if (cpuMemory.matches()) {
        BigDecimal cores = new BigDecimal(cpuMemory.group(1));
        BigDecimal gib = new BigDecimal(cpuMemory.group(3));
        if (cores.signum() <= 0 || gib.signum() <= 0) {
          invalid(annotation, value.get(), "'" + entry + "' has a zero size");
          continue;
        }
        flush(ecsTypes, specs);
        specs.add(new InstanceSpec(Optional.empty(), Optional.of(new ResourceSizing.Size(cores, gib))));
      } else if (ECS_TYPE.matcher(entry).matches()) {
        ecsTypes.add(entry);
      } else {
        invalid(annotation, value.get(), "'" + entry + "' is neither <cores>-<memory>Gi (2-4Gi) nor an ECS type (ecs.c6.large)");
      }
    }
    flush(ecsTypes, specs);
    return specs;
  }

  private static void flush(List<String> ecsTypes, List<InstanceSpec> specs) {
    if (!ecsTypes.isEmpty()) {
      specs.add(new InstanceSpec(Optional.of(String.join(",", ecsTypes)), Optional.empty()));
      ecsTypes.clear();
    }
  }

  /** ACK documents both {@code VSwitchOrdered} and {@code vSwitchOrdered}; ECI takes the first. */
  private void scheduleStrategy() {
    value(SCHEDULE_STRATEGY).ifPresent(v -> {
      switch (v) {
        case "VSwitchOrdered", "vSwitchOrdered" -> params.put("ScheduleStrategy", "VSwitchOrdered");
        case "VSwitchRandom", "vSwitchRandom" -> params.put("ScheduleStrategy", "VSwitchRandom");
        default -> invalid(SCHEDULE_STRATEGY, v, "one of VSwitchOrdered, VSwitchRandom (or vSwitchOrdered, vSwitchRandom)");
      }
    });
  }

  private void spot() {
    Optional<String> strategy = oneOf(SPOT_STRATEGY, "NoSpot", "SpotAsPriceGo", "SpotWithPriceLimit");
    strategy.ifPresent(s -> params.put("SpotStrategy", s));
    Optional<String> limit = value(SPOT_PRICE_LIMIT);
    if (limit.isPresent()) {
      try {
        BigDecimal price = new BigDecimal(limit.get());
        if (price.signum() <= 0) {
          throw new NumberFormatException();
        }
        params.put("SpotPriceLimit", price.toPlainString());
      } catch (NumberFormatException e) {
        invalid(SPOT_PRICE_LIMIT, limit.get(), "a positive hourly price such as 0.25");
      }
      if (!strategy.equals(Optional.of("SpotWithPriceLimit"))) {
        invalid(SPOT_PRICE_LIMIT, limit.get(), "it needs " + SPOT_STRATEGY + "=SpotWithPriceLimit");
      }
    } else if (strategy.equals(Optional.of("SpotWithPriceLimit"))) {
      invalid(SPOT_STRATEGY, "SpotWithPriceLimit", "it needs " + SPOT_PRICE_LIMIT);
    }
    oneOf(SPOT_DURATION, "0", "1").ifPresent(hours -> {
      if (strategy.isEmpty() || strategy.get().equals("NoSpot")) {
        invalid(SPOT_DURATION, hours, "it applies to spot instances only: set " + SPOT_STRATEGY);
      }
      params.put("SpotDuration", hours);
    });
  }

  /** The newer eci-auto-imc and eci-imc-id, and the older eci-image-cache and eci-image-snapshot-id. */
  private void imageCache() {
    Optional<Boolean> auto = agreeing(bool(IMAGE_CACHE), bool(AUTO_IMC), AUTO_IMC, IMAGE_CACHE);
    auto.ifPresent(b -> params.put("AutoMatchImageCache", b));
    Optional<String> id = agreeing(matching(IMAGE_SNAPSHOT_ID, SNAPSHOT_ID, "an image cache id (imc-...)"),
        matching(IMC_ID, SNAPSHOT_ID, "an image cache id (imc-...)"), IMC_ID, IMAGE_SNAPSHOT_ID);
    id.ifPresent(s -> params.put("ImageSnapshotId", s));
  }

  private <T> Optional<T> agreeing(Optional<T> older, Optional<T> newer, String newerKey, String olderKey) {
    if (older.isPresent() && newer.isPresent() && !older.equals(newer)) {
      invalid(newerKey, String.valueOf(newer.get()), "it contradicts " + olderKey + "='" + older.get() + "'");
    }
    return newer.or(() -> older);
  }

  private void eip() {
    Optional<Boolean> withEip = bool(WITH_EIP);
    Optional<String> eipId = matching(EIP_INSTANCE_ID, EIP_ID, "an EIP id (eip-...)");
    withEip.filter(b -> b).ifPresent(b -> params.put("AutoCreateEip", true));
    eipId.ifPresent(id -> params.put("EipInstanceId", id));
    if (withEip.orElse(false) && eipId.isPresent()) {
      invalid(EIP_INSTANCE_ID, eipId.get(), "it conflicts with " + WITH_EIP + "=true: bind an existing EIP or create one, not both");
    }
    value(EIP_BANDWIDTH).ifPresent(v -> {
      try {
        int bandwidth = Integer.parseInt(v);
        if (bandwidth < 1 || bandwidth > 500) {
          throw new NumberFormatException();
        }
        params.put("EipBandwidth", bandwidth);
      } catch (NumberFormatException e) {
        invalid(EIP_BANDWIDTH, v, "an integer number of Mbit/s from 1 to 500");
      }
      if (!withEip.orElse(false)) {
        invalid(EIP_BANDWIDTH, v, "it needs " + WITH_EIP + "=true");
      }
    });
  }

  /** fail-back and fail-over (ACK's default) recreate a group ECI could not schedule; fail-fast fails the pod. */
  private boolean failStrategy() {
    bool(FAIL_ON_CREATE_ERROR);
    oneOf(FAIL_STRATEGY, "fail-back", "fail-over", "fail-fast");
    return failsFast(annotations);
  }

  /** Whether a pod asks to fail when its group cannot be created, rather than wait for one. */
  static boolean failsFast(Map<String, String> annotations) {
    return annotations != null && ("fail-fast".equals(trimmed(annotations.get(FAIL_STRATEGY)))
        || "true".equalsIgnoreCase(trimmed(annotations.get(FAIL_ON_CREATE_ERROR))));
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }

  private void ephemeralStorage() {
    value(EXTRA_EPHEMERAL_STORAGE).ifPresent(v -> {
      try {
        BigDecimal gib = new Quantity(v).getNumber().divide(BigDecimal.valueOf(1L << 30), 0, RoundingMode.CEILING);
        if (gib.signum() <= 0) {
          throw new IllegalArgumentException();
        }
        params.put("EphemeralStorage", gib.toPlainString());
      } catch (RuntimeException e) {
        invalid(EXTRA_EPHEMERAL_STORAGE, v, "a positive size such as 50Gi (ECI adds whole GiB)");
      }
    });
  }

  /** {@code key:value,key:value}, at most three, each a tag ECI accepts and none in vk4j's own keys. */
  private Map<String, String> customTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    value(CUSTOM_TAGS).ifPresent(v -> {
      List<String> pairs = split(v);
      if (pairs.size() > MAX_CUSTOM_TAGS) {
        invalid(CUSTOM_TAGS, v, "at most " + MAX_CUSTOM_TAGS + " tags");
      }
      for (String pair : pairs) {
        int colon = pair.indexOf(':');
        String key = colon < 0 ? pair : pair.substring(0, colon).trim();
        String tagValue = colon < 0 ? "" : pair.substring(colon + 1).trim();
        if (colon < 0 || !EciLimits.isTagKey(key) || !EciLimits.isTagValue(tagValue)) {
          invalid(CUSTOM_TAGS, v, "'" + pair + "' is not key:value with a key of 1-64 and a value of at most 128"
              + " characters, neither starting with acs: (nor the key with aliyun) or holding a URL");
        } else if (key.startsWith("vk4j.io/")) {
          invalid(CUSTOM_TAGS, v, "'" + key + "' is a key vk4j sets itself");
        } else {
          tags.put(key, tagValue);
        }
      }
    });
    return tags;
  }

  /** CpuOptionsCore and CpuOptionsThreadsPerCore, which ECI honours for ECS instance types only. */
  private boolean cpuOptions() {
    Optional<Integer> cores = positive(CPU_OPTION_CORE, 1, 512, "a number of physical cores");
    Optional<String> threads = oneOf(CPU_OPTION_HT, "1", "2");
    cores.ifPresent(c -> params.put("CpuOptionsCore", c));
    threads.ifPresent(t -> params.put("CpuOptionsThreadsPerCore", t));
    return cores.isPresent() || threads.isPresent();
  }

  /** A JSON list of {name, value}: the unsafe sysctls ECI sets through HostSecurityContext. */
  private void hostSysctls() {
    value(HOST_SYSCTLS).ifPresent(v -> {
      List<String[]> sysctls = new ArrayList<>();
      try {
        for (JsonElement element : JsonParser.parseString(v).getAsJsonArray()) {
          JsonObject sysctl = element.getAsJsonObject();
          String name = sysctl.get("name").getAsString();
          if (!EciLimits.isHostSysctl(name)) {
            invalid(HOST_SYSCTLS, v, "'" + name + "' is not a sysctl ECI sets on the host side (kernel.shm*,"
                + " kernel.msg*, kernel.sem, fs.mqueue.*, net.*)");
          }
          sysctls.add(new String[] {name, sysctl.get("value").getAsString()});
        }
      } catch (RuntimeException e) {
        invalid(HOST_SYSCTLS, v, "a JSON list such as [{\"name\":\"kernel.msgmax\",\"value\":\"65536\"}]");
        return;
      }
      params.putEach("HostSecurityContext.Sysctl", sysctls, (out, s) -> out.put("Name", s[0]).put("Value", s[1]));
    });
  }

  private void registries(String key, String parameter) {
    value(key).ifPresent(v -> {
      List<String> hosts = split(v);
      hosts.stream().filter(h -> !HOST_PORT.matcher(h).matches())
          .forEach(h -> invalid(key, v, "'" + h + "' is not a registry address host[:port]"));
      params.put(parameter, String.join(",", hosts));
    });
  }

  /** Kubernetes' bandwidth annotations: a quantity of bits per second, such as 10M. */
  private void bandwidth(String key, String parameter) {
    value(key).ifPresent(v -> {
      try {
        BigDecimal bits = new Quantity(v).getNumber();
        if (bits.signum() <= 0) {
          throw new IllegalArgumentException();
        }
        params.put(parameter, bits.setScale(0, RoundingMode.CEILING).toPlainString());
      } catch (RuntimeException e) {
        invalid(key, v, "a positive rate in bits per second such as 10M");
      }
    });
  }

  private Optional<String> value(String key) {
    String value = annotations.get(key);
    return value == null ? Optional.empty() : Optional.of(value.trim());
  }

  private Optional<String> matching(String key, Pattern pattern, String expected) {
    Optional<String> value = value(key);
    if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
      invalid(key, value.get(), expected);
      return Optional.empty();
    }
    return value;
  }

  private Optional<String> oneOf(String key, String... allowed) {
    Optional<String> value = value(key);
    if (value.isPresent() && !Arrays.asList(allowed).contains(value.get())) {
      invalid(key, value.get(), "one of " + String.join(", ", allowed));
      return Optional.empty();
    }
    return value;
  }

  private Optional<Integer> positive(String key, int min, int max, String expected) {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      invalid(key, value.get(), expected);
      return Optional.empty();
    }
  }

  private Optional<Boolean> bool(String key) {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Optional.of(Boolean.parseBoolean(v));
    }
    invalid(key, value.get(), "true or false");
    return Optional.empty();
  }

  private void invalid(String key, String value, String expected) {
    problems.add("annotation " + key + "='" + value + "' is invalid: " + expected);
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
