package io.vk4j.provider.eci;

import io.kubernetes.client.custom.Quantity;
import io.vk4j.api.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads {@link EciSettings} from the environment (over an optional properties file) and reports
 * every problem at once, so an operator fixes the StatefulSet in one go.
 */
final class SettingsParser {
  static final String REGION = "ECI_REGION";
  static final String ACCESS_KEY = "ECI_ACCESS_KEY";
  static final String SECRET_KEY = "ECI_SECRET_KEY";
  static final String SECURITY_TOKEN = "ECI_SECURITY_TOKEN";
  static final String RAM_ROLE = "ECI_RAM_ROLE";
  static final String SECURITY_GROUP = "ECI_SECURITY_GROUP";
  static final String VSWITCH = "ECI_VSWITCH";
  static final String CLUSTER_ID = "ECI_CLUSTER_ID";
  static final String KUBE_PROXY = "ECI_KUBE_PROXY";
  static final String KUBE_PROXY_IMAGE = "ECI_KUBE_PROXY_IMAGE";
  static final String KUBE_PROXY_KUBECONFIG_SECRET = "ECI_KUBE_PROXY_KUBECONFIG_SECRET";
  static final String KUBE_PROXY_MODE = "ECI_KUBE_PROXY_MODE";
  static final String NET_RAW_ALLOWED = "ECI_NET_RAW_ALLOWED";
  static final String UNREACHABLE_SECONDS = "ECI_UNREACHABLE_SECONDS";
  static final String NO_STOCK_BACKOFF_SECONDS = "ECI_NO_STOCK_BACKOFF_SECONDS";
  static final String CLUSTER_DNS = "ECI_CLUSTER_DNS";
  static final String CLUSTER_DOMAIN = "ECI_CLUSTER_DOMAIN";
  static final String ENDPOINT = "ECI_ENDPOINT";
  static final String PROTOCOL = "ECI_PROTOCOL";
  static final String QUOTA_PODS = "ECI_QUOTA_PODS";
  static final String QUOTA_CPU = "ECI_QUOTA_CPU";
  static final String QUOTA_MEMORY = "ECI_QUOTA_MEMORY";
  static final String QUOTA_GPU = "ECI_QUOTA_GPU";
  static final String STATUS_POLL_SECONDS = "ECI_STATUS_POLL_SECONDS";
  static final String FULL_RESYNC_SECONDS = "ECI_FULL_RESYNC_SECONDS";
  static final String API_QPS = "ECI_API_QPS";
  static final String READ_TIMEOUT_SECONDS = "ECI_READ_TIMEOUT_SECONDS";
  static final String RESOURCE_GROUP = "ECI_RESOURCE_GROUP_ID";

  private static final Pattern REGION_ID = Pattern.compile("[a-z]{2,}(-[a-z0-9]+)+");
  private static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-[a-zA-Z0-9]+");
  static final Pattern VSWITCH_ID = Pattern.compile("vsw-[a-zA-Z0-9]+");
  static final Pattern RESOURCE_GROUP_ID = Pattern.compile("rg-[a-zA-Z0-9]+");
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ENDPOINT_HOST = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  private SettingsParser(Map<String, String> values) {
    this.values = values;
  }

  /**
   * The settings for {@code nodeName}: {@code environment} wins over the properties in
   * {@code configFile}.
   *
   * @throws InvalidInputException listing every missing or invalid setting
   */
  static EciSettings parse(String nodeName, Map<String, String> environment, Optional<Path> configFile)
      throws InvalidInputException {
    Map<String, String> merged = new HashMap<>();
    List<String> fileProblems = new ArrayList<>();
    configFile.ifPresent(path -> readProperties(path, merged, fileProblems));
    environment.forEach((key, value) -> {
      if (key.startsWith("ECI_")) {
        merged.put(key, value);
      }
    });
    SettingsParser parser = new SettingsParser(merged);
    parser.problems.addAll(fileProblems);
    return parser.parse(nodeName);
  }

  private static void readProperties(Path path, Map<String, String> into, List<String> problems) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
      properties.stringPropertyNames().forEach(name -> into.put(name, properties.getProperty(name)));
    } catch (IOException e) {
      problems.add("provider config file " + path + " cannot be read: " + e.getMessage());
    }
  }

  private EciSettings parse(String nodeName) throws InvalidInputException {
    EciSettings.Builder settings = EciSettings.builder().nodeName(nodeName);
    String region = required(REGION, REGION_ID, "a region id such as cn-hangzhou");
    if (region != null) {
      settings.region(region);
    }
    EciCredentials credentials = credentials();
    if (credentials != null) {
      settings.credentials(credentials);
    }
    String securityGroup = required(SECURITY_GROUP, SECURITY_GROUP_ID, "a security group id such as sg-bp1...");
    if (securityGroup != null) {
      settings.securityGroupId(securityGroup);
    }
    List<String> vSwitches = list(VSWITCH);
    if (vSwitches.isEmpty()) {
      problems.add(VSWITCH + " is missing: one or more vSwitch ids (vsw-...), comma-separated, ideally in different zones");
    } else if (vSwitches.size() > 10) {
      problems.add(VSWITCH + " names " + vSwitches.size() + " vSwitches; ECI accepts at most 10");
    } else {
      vSwitches.stream().filter(v -> !VSWITCH_ID.matcher(v).matches())
          .forEach(v -> problems.add(VSWITCH + " contains '" + v + "', which is not a vSwitch id (vsw-...)"));
      settings.vSwitchIds(vSwitches);
    }
    String cluster = required(CLUSTER_ID, CLUSTER,
        "the id of this Kubernetes cluster (it tags every container group, so two clusters never touch each other's)");
    if (cluster != null) {
      settings.clusterId(cluster);
    }
    String protocol = value(PROTOCOL).orElse("https").toLowerCase(Locale.ROOT);
    if (!protocol.equals("https") && !protocol.equals("http")) {
      problems.add(PROTOCOL + "='" + value(PROTOCOL).orElse("") + "' must be http or https");
    }
    settings.protocol(protocol);
    Optional<String> endpoint = value(ENDPOINT);
    if (endpoint.isPresent() && !ENDPOINT_HOST.matcher(endpoint.get()).matches()) {
      problems.add(ENDPOINT + "='" + endpoint.get() + "' must be host[:port], without scheme (set " + PROTOCOL + " for http)");
    }
    settings.endpoint(endpoint.orElse("eci." + (region == null ? "REGION" : region) + ".aliyuncs.com"));

    boolean kubeProxy = bool(KUBE_PROXY).orElse(true);
    settings.kubeProxy(kubeProxy);
    value(KUBE_PROXY_IMAGE).ifPresent(settings::kubeProxyImage);
    boolean netRaw = bool(NET_RAW_ALLOWED).orElse(false);
    settings.netRawAllowed(netRaw);
    value(KUBE_PROXY_MODE).ifPresent(mode -> {
      if (!mode.equals("nftables") && !mode.equals("iptables")) {
        problems.add(KUBE_PROXY_MODE + "='" + mode + "' must be nftables or iptables");
      } else if (mode.equals("iptables") && kubeProxy && !netRaw) {
        problems.add(KUBE_PROXY_MODE + "=iptables needs NET_RAW, which ECI adds only for accounts on its allow list:"
            + " set " + NET_RAW_ALLOWED + "=true once ECI has allow-listed yours, or keep the default nftables mode");
      }
      settings.kubeProxyMode(mode);
    });
    value(KUBE_PROXY_KUBECONFIG_SECRET).ifPresent(secret -> {
      if (secret.split("/").length != 2) {
        problems.add(KUBE_PROXY_KUBECONFIG_SECRET + "='" + secret + "' must be namespace/name");
      }
      settings.kubeProxyKubeconfigSecret(secret);
    });
    List<String> dns = list(CLUSTER_DNS);
    dns.stream().filter(ip -> !IPV4.matcher(ip).matches())
        .forEach(ip -> problems.add(CLUSTER_DNS + " contains '" + ip + "', which is not an IPv4 address"));
    settings.clusterDns(dns);
    value(CLUSTER_DOMAIN).ifPresent(settings::clusterDomain);

    positiveInt(QUOTA_PODS, settings::quotaPods);
    quantity(QUOTA_CPU, settings::quotaCpu);
    quantity(QUOTA_MEMORY, settings::quotaMemory);
    quantity(QUOTA_GPU, settings::quotaGpu);
    positiveInt(STATUS_POLL_SECONDS, s -> settings.statusPollPeriod(Duration.ofSeconds(s)));
    positiveInt(FULL_RESYNC_SECONDS, s -> settings.fullResyncPeriod(Duration.ofSeconds(s)));
    positiveInt(READ_TIMEOUT_SECONDS, s -> settings.readTimeout(Duration.ofSeconds(s)));
    positiveInt(UNREACHABLE_SECONDS, s -> settings.unreachableBeforeNotReady(Duration.ofSeconds(s)));
    positiveInt(NO_STOCK_BACKOFF_SECONDS, s -> settings.noStockBackoff(Duration.ofSeconds(s)));
    value(API_QPS).ifPresent(qps -> {
      try {
        double parsed = Double.parseDouble(qps);
        if (!(parsed > 0)) {
          throw new NumberFormatException();
        }
        settings.apiQps(parsed);
      } catch (NumberFormatException e) {
        problems.add(API_QPS + "='" + qps + "' must be a positive number");
      }
    });
    value(RESOURCE_GROUP).ifPresent(group -> {
      if (!RESOURCE_GROUP_ID.matcher(group).matches()) {
        problems.add(RESOURCE_GROUP + "='" + group + "' is not a resource group id (rg-...)");
      }
      settings.resourceGroupId(group);
    });

    if (!problems.isEmpty()) {
      throw new InvalidInputException("InvalidEciSettings",
          "the ECI provider cannot start, fix these settings: " + String.join("; ", problems));
    }
    return settings.build();
  }

  private EciCredentials credentials() {
    Optional<String> accessKey = value(ACCESS_KEY);
    Optional<String> secretKey = value(SECRET_KEY);
    Optional<String> token = value(SECURITY_TOKEN);
    Optional<String> role = value(RAM_ROLE);
    if (accessKey.isPresent() != secretKey.isPresent()) {
      problems.add(ACCESS_KEY + " and " + SECRET_KEY + " must be set together");
      return null;
    }
    if (accessKey.isPresent()) {
      if (role.isPresent()) {
        problems.add("set either " + ACCESS_KEY + "/" + SECRET_KEY + " or " + RAM_ROLE + ", not both");
        return null;
      }
      return EciCredentials.accessKey(accessKey.get(), secretKey.get(), token);
    }
    if (token.isPresent()) {
      problems.add(SECURITY_TOKEN + " needs the STS " + ACCESS_KEY + " and " + SECRET_KEY + " that go with it");
      return null;
    }
    if (role.isPresent()) {
      return EciCredentials.ramRole(role.get());
    }
    problems.add("no credentials: set " + ACCESS_KEY + " and " + SECRET_KEY + " (plus " + SECURITY_TOKEN
        + " for STS), or " + RAM_ROLE + " to use the RAM role of the host");
    return null;
  }

  private Optional<String> value(String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private String required(String key, Pattern pattern, String what) {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      problems.add(key + " is missing: " + what);
      return null;
    }
    if (!pattern.matcher(value.get()).matches()) {
      problems.add(key + "='" + value.get() + "' is invalid: expected " + what);
      return null;
    }
    return value.get();
  }

  private List<String> list(String key) {
    return value(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  private Optional<Boolean> bool(String key) {
    Optional<String> value = value(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true":
        return Optional.of(true);
      case "false":
        return Optional.of(false);
      default:
        problems.add(key + "='" + value.get() + "' must be true or false");
        return Optional.empty();
    }
  }

  private void positiveInt(String key, Consumer<Integer> into) {
    value(key).ifPresent(v -> {
      try {
        int parsed = Integer.parseInt(v);
        if (parsed <= 0) {
          throw new NumberFormatException();
        }
        into.accept(parsed);
      } catch (NumberFormatException e) {
        problems.add(key + "='" + v + "' must be a positive integer");
      }
    });
  }

  private void quantity(String key, Consumer<String> into) {
    value(key).ifPresent(v -> {
      try {
        if (new Quantity(v).getNumber().signum() <= 0) {
          throw new IllegalArgumentException();
        }
        into.accept(v);
      } catch (RuntimeException e) {
        problems.add(key + "='" + v + "' must be a positive Kubernetes quantity such as 6000 or 12Ti");
      }
    });
  }
}
