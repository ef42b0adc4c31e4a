package io.vk4j.examples.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one benchmark run puts on the cluster, written on the command line as
 * <ul>
 *   <li>{@code N}: one node (the shipped jar, fake provider) with N pods;
 *   <li>{@code KxN}: K nodes with N pods each, one JVM per node;
 *   <li>{@code KxN:1jvm}: the same K nodes in one JVM ({@code SeveralNodesMain});
 *   <li>{@code eci:N}: one node with the ECI provider against the emulator, N pods.
 * </ul>
 */
record Scenario(String text, boolean eci, int nodes, int podsPerNode, boolean oneJvm) {
  private static final Pattern SPEC = Pattern.compile("(eci:)?(?:(\\d+)x)?(\\d+)(:1jvm)?");

  static Scenario parse(String text) {
    String spec = text.toLowerCase(Locale.ROOT);
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a scenario: '" + text + "' (N, KxN, KxN:1jvm or eci:N)");
    }
    boolean eci = m.group(1) != null;
    int nodes = m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
    boolean oneJvm = m.group(4) != null || nodes == 1;
    if (eci && nodes != 1) {
      throw new IllegalArgumentException("the ECI scenario has one node: eci:N, not '" + text + "'");
    }
    int perNode = Integer.parseInt(m.group(3));
    if (nodes < 1 || perNode < 1) {
      throw new IllegalArgumentException("a scenario needs at least one node and one pod: '" + text + "'");
    }
    return new Scenario(spec, eci, nodes, perNode, oneJvm);
  }

  int pods() {
    return nodes * podsPerNode;
  }

  /** How many JVMs run the nodes. */
  int jvms() {
    return oneJvm ? 1 : nodes;
  }
}
