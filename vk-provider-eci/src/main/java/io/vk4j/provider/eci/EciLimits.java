package io.vk4j.provider.eci;

import io.vk4j.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The limits ECI's API reference documents for what the provider sends (docs/eci-provider.md lists each and what
 * the provider does about it), and a collector for the ones a pod breaks: the pod then fails once, with every
 * problem named by field, value and limit, before any call. The emulator has its own copy on purpose (the
 * tests set one against the other).
 */
final class EciLimits {
  private EciLimits() {}

  /** Containers and init containers together (the stricter reading: ECI's reference counts them apart). */
  static final int MAX_CONTAINERS = 20;
  static final int MAX_VOLUMES = 20;
  static final int MAX_ARGS = 10;
  static final int MAX_COMMAND_ENTRIES = 20;
  static final int MAX_COMMAND_ENTRY_LENGTH = 256;
  static final int MAX_ENV_VALUE_LENGTH = 256;
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  static final int MAX_CONFIG_FILE_BYTES = 32 * 1024;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG_KEY_LENGTH = 64;
  static final int MAX_TAG_VALUE_LENGTH = 128;
  static final int MAX_VSWITCHES = 10;
  static final int MAX_SECURITY_GROUPS = 5;
  /** DescribeContainerLog's {@code Tail} (its default, 500, would cut logs silently) and {@code LimitBytes}. */
  static final int MAX_LOG_LINES = 2000;
  static final long MAX_LOG_BYTES = 1024 * 1024;
  /** ExecContainerCommand's {@code Command}. */
  static final int MAX_EXEC_ENTRIES = 20;
  static final int MAX_EXEC_ENTRY_LENGTH = 256;
  /** A group's host name, as the kubelet truncates a pod's. */
  static final int MAX_HOST_NAME = 63;
  /** The only sysctls {@code SecurityContext.Sysctl} takes; the others go in {@code HostSecurityContext.Sysctl}. */
  static final Set<String> GROUP_SYSCTLS = Set.of("net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");

  /** The capabilities ECI adds: NET_ADMIN for every account, NET_RAW for allow-listed ones. */
  static Set<String> capabilities(EciSettings settings) {
    return settings.netRawAllowed() ? Set.of("NET_ADMIN", "NET_RAW") : Set.of("NET_ADMIN");
  }

  /** {@code CAP_NET_ADMIN} and {@code net_admin} as ECI spells them: {@code NET_ADMIN}. */
  static String capability(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return upper.startsWith("CAP_") ? upper.substring(4) : upper;
  }

  /** The unsafe sysctls {@code HostSecurityContext.Sysctl} takes. */
  static boolean isHostSysctl(String name) {
    if (name.startsWith("kernel.shm")) {
      return !name.equals("kernel.shm_rmid_forced");
    }
    if (name.startsWith("net.")) {
      return !name.equals("net.ipv4.tcp_syncookies") && !GROUP_SYSCTLS.contains(name);
    }
    return name.startsWith("kernel.msg") || name.equals("kernel.sem") || name.startsWith("fs.mqueue.");
  }

  /** A tag key ECI accepts: 1-64 characters, no {@code acs:}/{@code aliyun} prefix, no URL. */
  static boolean isTagKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return !key.isEmpty() && key.length() <= MAX_TAG_KEY_LENGTH && !lower.startsWith("acs:")
        && !lower.startsWith("aliyun") && !lower.contains("http://") && !lower.contains("https://");
  }

  /** A tag value ECI accepts: at most 128 characters, no {@code acs:} prefix, no URL. */
  static boolean isTagValue(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return value.length() <= MAX_TAG_VALUE_LENGTH && !lower.startsWith("acs:") && !lower.contains("http://")
        && !lower.contains("https://");
  }

  /** The problems found in one pod; {@link #throwIfAny} fails it with all of them. */
  static final class Problems {
    private final List<String> unsupported = new ArrayList<>();
    private final List<String> limits = new ArrayList<>();

    /** A field whose value breaks a documented limit. */
    void limit(String field, Object value, String limit) {
      limits.add(field + "=" + abbreviate(value) + ": " + limit);
    }

    /** A pod feature ECI does not offer. */
    void unsupported(String what) {
      unsupported.add(what);
    }

    boolean isEmpty() {
      return unsupported.isEmpty() && limits.isEmpty();
    }

    /** Reason {@code UnsupportedPodFeature} when a feature is missing, else {@code EciLimitExceeded}. */
    void throwIfAny() throws InvalidInputException {
      if (isEmpty()) {
        return;
      }
      List<String> all = new ArrayList<>(unsupported);
      all.addAll(limits);
      throw new InvalidInputException(unsupported.isEmpty() ? "EciLimitExceeded" : "UnsupportedPodFeature",
          "ECI cannot run this pod: " + String.join("; ", all));
    }

    private static String abbreviate(Object value) {
      String text = String.valueOf(value);
      return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 37) + "...' (" + text.length()
          + " characters)";
    }
  }
}
