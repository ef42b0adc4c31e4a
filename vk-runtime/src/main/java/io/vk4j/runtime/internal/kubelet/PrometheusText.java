package io.vk4j.runtime.internal.kubelet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Writes the Prometheus text exposition format (version 0.0.4), which metrics-server and Prometheus scrape. */
final class PrometheusText {
  private final StringBuilder text = new StringBuilder();

  void family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** One sample line; {@code labels} alternates names and values. */
  void sample(String name, List<String> labels, double value, Optional<Instant> time) {
    text.append(name);
    if (!labels.isEmpty()) {
      text.append('{');
      for (int i = 0; i < labels.size(); i += 2) {
        if (i > 0) {
          text.append(',');
        }
        text.append(labels.get(i)).append("=\"").append(escape(labels.get(i + 1))).append('"');
      }
      text.append('}');
    }
    text.append(' ').append(format(value));
    time.ifPresent(t -> text.append(' ').append(t.toEpochMilli()));
    text.append('\n');
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
