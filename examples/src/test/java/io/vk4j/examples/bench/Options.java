package io.vk4j.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's command line (scripts/benchmark.sh passes the paths). */
final class Options {
  static final String USAGE = String.join("\n",
      "usage: scripts/benchmark.sh [SCENARIO...] [--runs R] [--idle-seconds S] [--concurrency C]",
      "                            [--jvm-options OPTS | --jvm-variant NAME=OPTS... | --jar-variant NAME=DIR...]",
      "                            [--extra-jvm-options OPTS] [--node-args ARGS]",
      "                            [--profile] [--class-list FILE] [--cds-class-list FILE|''] [--label TEXT]",
      "  SCENARIO: N (one node, N pods), KxN (K nodes of N pods, one JVM each), KxN:1jvm (K nodes in one",
      "            JVM), eci:N (the ECI provider against the emulator); default: 1000 3000");

  Path kubeconfig;
  Path jar;
  Path testClasses;
  Path emulatorJar;
  Path statefulSet;
  Path results;
  /** The classes of the class-data sharing archive dumped for the jar, which the node JVMs map as the image's do. */
  Path cdsClassList;
  /** Where to write the classes the node JVMs loaded, for the archive (src/main/cds). */
  Path classList;
  /** JAVA_TOOL_OPTIONS of the node JVMs by variant name; empty: the StatefulSet's only. */
  Map<String, String> jvmVariants = new LinkedHashMap<>();
  /** Builds to compare by variant name: directories with vk4j-virtual-node.jar (and its .classlist). */
  Map<String, Path> jarVariants = new LinkedHashMap<>();
  List<String> extraJvmOptions = new ArrayList<>();
  /** Added to every node's command line (VirtualNodeMain's flags), for example --no-normal-pod-events. */
  List<String> nodeArgs = new ArrayList<>();
  List<Scenario> scenarios = new ArrayList<>();
  List<Long> controlPlanePids = new ArrayList<>();
  int runs = 1;
  int idleSeconds = 60;
  int concurrency = 32;
  boolean profile;
  String label = "";

  static Options parse(String[] args) {
    Options o = new Options();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--kubeconfig" -> o.kubeconfig = Path.of(args[++i]);
          case "--jar" -> o.jar = Path.of(args[++i]);
          case "--test-classes" -> o.testClasses = Path.of(args[++i]);
          case "--emulator-jar" -> o.emulatorJar = Path.of(args[++i]);
          case "--statefulset" -> o.statefulSet = Path.of(args[++i]);
          case "--results" -> o.results = Path.of(args[++i]);
          case "--cds-class-list" -> o.cdsClassList = args[++i].isEmpty() ? null : Path.of(args[i]);
          case "--class-list" -> o.classList = Path.of(args[++i]);
          case "--control-plane-pid" -> o.controlPlanePids.add(Long.parseLong(args[++i]));
          case "--jvm-options" -> o.jvmVariants.put("given", args[++i]);
          case "--jvm-variant" -> {
            String[] variant = nameAndValue(arg, args[++i]);
            o.jvmVariants.put(variant[0], variant[1]);
          }
          case "--jar-variant" -> {
            String[] variant = nameAndValue(arg, args[++i]);
            o.jarVariants.put(variant[0], Path.of(variant[1]));
          }
          case "--extra-jvm-options" -> o.extraJvmOptions.addAll(List.of(args[++i].trim().split("\\s+")));
          case "--node-args" -> o.nodeArgs.addAll(List.of(args[++i].trim().split("\\s+")));
          case "--runs" -> o.runs = positive(arg, args[++i]);
          case "--idle-seconds" -> o.idleSeconds = positive(arg, args[++i]);
          case "--concurrency" -> o.concurrency = positive(arg, args[++i]);
          case "--profile" -> o.profile = true;
          case "--label" -> o.label = args[++i];
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            o.scenarios.add(Scenario.parse(arg));
          }
        }
      }
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " needs a value");
    }
    o.extraJvmOptions.removeIf(String::isEmpty);
    o.nodeArgs.removeIf(String::isEmpty);
    if (!o.jarVariants.isEmpty() && !o.jvmVariants.isEmpty()) {
      throw new IllegalArgumentException("compare builds (--jar-variant) or JVM options, not both at once");
    }
    if (o.scenarios.isEmpty()) {
      o.scenarios.add(Scenario.parse("1000"));
      o.scenarios.add(Scenario.parse("3000"));
    }
    for (String required : List.of("--kubeconfig", "--jar", "--statefulset", "--results")) {
      boolean missing = switch (required) {
        case "--kubeconfig" -> o.kubeconfig == null;
        case "--jar" -> o.jar == null;
        case "--statefulset" -> o.statefulSet == null;
        default -> o.results == null;
      };
      if (missing) {
        throw new IllegalArgumentException(required + " is required");
      }
    }
    return o;
  }

  private static String[] nameAndValue(String option, String text) {
    int equals = text.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException(option + " takes NAME=VALUE, not '" + text + "'");
    }
    return new String[] {text.substring(0, equals), text.substring(equals + 1)};
  }

  private static int positive(String option, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, not " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a number, not '" + value + "'");
    }
  }
}
