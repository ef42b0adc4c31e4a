package io.vk4j.webhook;

import java.util.Locale;

/** How a matching pod is steered onto virtual nodes. */
enum InjectionMode {
  /** nodeSelector for the virtual node's labels plus the toleration: the pod runs only on virtual nodes. */
  REQUIRE,
  /** preferred node affinity for the virtual node's labels plus the toleration: the pod may run elsewhere. */
  PREFER;

  /** The spelling used in configuration files: {@code require} or {@code prefer}. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static InjectionMode fromConfigName(String text) {
    for (InjectionMode mode : values()) {
      if (mode.configName().equalsIgnoreCase(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode must be 'require' or 'prefer', not '" + text + "'");
  }
}
