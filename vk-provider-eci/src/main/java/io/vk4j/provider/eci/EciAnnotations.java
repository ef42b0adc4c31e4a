package io.vk4j.provider.eci;

import io.vk4j.api.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code k8s.aliyun.com/*} pod annotations ACK users already write, validated and turned into
 * CreateContainerGroup parameters. Every invalid value is reported, naming the annotation and the
 * value, in one {@link InvalidInputException}.
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
  static final String IMAGE_CACHE = PREFIX + "eci-image-cache";
  static final String IMAGE_SNAPSHOT_ID = PREFIX + "eci-image-snapshot-id";
  static final String WITH_EIP = PREFIX + "eci-with-eip";
  static final String EIP_BANDWIDTH = PREFIX + "eip-bandwidth";
  static final String EIP_INSTANCE_ID = PREFIX + "eci-eip-instanceid";
  static final String RAM_ROLE_NAME = PREFIX + "eci-ram-role-name";
  static final String RESOURCE_GROUP_ID = PREFIX + "eci-resource-group-id";
  static final String NTP_SERVER = PREFIX + "eci-ntp-server";
  static final String FAIL_ON_CREATE_ERROR = PREFIX + "pod-fail-on-create-err";

  private static final Pattern CPU_MEMORY_SPEC = Pattern.compile("(\\d+(\\.\\d+)?)-(\\d+(\\.\\d+)?)Gi");
  private static final Pattern ECS_TYPE = Pattern.compile("ecs\\.[a-z0-9-]+\\.[a-z0-9-]+");
  private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[a-zA-Z0-9]+");
  private static final Pattern SNAPSHOT_ID = Pattern.compile("imc-[a-zA-Z0-9]+");
  private static final Pattern EIP_ID = Pattern.compile("eip-[a-zA-Z0-9]+");
  private static final Pattern RAM_ROLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  /** What the annotations decide beyond plain parameters. */
  record Placement(Optional<List<String>> vSwitches, Optional<String> securityGroup, boolean sizedByEci,
      boolean failOnCreateError) {}

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
    boolean sized = instanceTypes();
    Optional<List<String>> vSwitches = value(VSWITCH).map(v -> {
      List<String> ids = split(v);
      if (ids.isEmpty() || ids.size() > 10) {
        invalid(VSWITCH, v, "1 to 10 vSwitch ids, comma-separated");
      }
      ids.stream().filter(id -> !SettingsParser.VSWITCH_ID.matcher(id).matches())
          .forEach(id -> invalid(VSWITCH, v, "'" + id + "' is not a vSwitch id (vsw-...)"));
      return ids;
    });
    Optional<String> securityGroup = matching(SECURITY_GROUP, SECURITY_GROUP_ID, "a security group id (sg-...)");
    oneOf(SCHEDULE_STRATEGY, "VSwitchOrdered", "VSwitchRandom").ifPresent(s -> params.put("ScheduleStrategy", s));
    spot();
    bool(IMAGE_CACHE).ifPresent(b -> params.put("AutoMatchImageCache", b));
    matching(IMAGE_SNAPSHOT_ID, SNAPSHOT_ID, "an image cache id (imc-...)").ifPresent(s -> params.put("ImageSnapshotId", s));
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
    boolean failOnCreateError = bool(FAIL_ON_CREATE_ERROR).orElse(false);
    if (!problems.isEmpty()) {
      throw new InvalidInputException("InvalidAnnotation", String.join("; ", problems));
    }
    return new Placement(vSwitches, securityGroup, sized, failOnCreateError);
  }

  /** eci-use-specs (up to 5, in preference order) wins over the older eci-instance-type. */
  private boolean instanceTypes() {
    Optional<String> specs = value(USE_SPECS);
    String annotation = specs.isPresent() ? USE_SPECS : INSTANCE_TYPE;
    Optional<String> value = specs.or(() -> value(INSTANCE_TYPE));
    if (value.isEmpty()) {
      return false;
    }
    List<String> types = split(value.get());
    int max = annotation.equals(USE_SPECS) ? 5 : 1;
    if (types.isEmpty() || types.size() > max) {
      invalid(annotation, value.get(), max == 1 ? "exactly one instance type" : "1 to 5 specifications, comma-separated");
    }
    for (String type : types) {
      var cpuMemory = CPU_MEMORY_SPEC.matcher(type);
      if (cpuMemory.matches()) {
        if (new BigDecimal(cpuMemory.group(1)).signum() <= 0 || new BigDecimal(cpuMemory.group(3)).signum() <= 0) {
          invalid(annotation, value.get(), "'" + type + "' has a zero size");
        }
      } else if (!ECS_TYPE.matcher(type).matches()) {
        invalid(annotation, value.get(), "'" + type + "' is neither <cores>-<memory>Gi (2-4Gi) nor an ECS type (ecs.c6.large)");
      }
    }
    params.put("InstanceType", String.join(",", types));
    return true;
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

  private Optional<Boolean> bool(String key) {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get().equals("true") || value.get().equals("false")) {
      return Optional.of(Boolean.parseBoolean(value.get()));
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
