package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One {@code Container.N} or {@code InitContainer.N} of a create request, parsed and checked. The raw view
 * is kept to answer the fields the emulator only echoes (probes, security context).
 */
final class ContainerSpec {

  /** Env var that makes the container exit after this many seconds (decimal allowed). */
  static final String EXIT_AFTER_ENV = "EMULATOR_EXIT_AFTER";
  /** Env var with the exit code used by {@link #EXIT_AFTER_ENV}, default 0. */
  static final String EXIT_CODE_ENV = "EMULATOR_EXIT_CODE";
  /** Env var whose value (lines separated by newlines or a literal backslash-n) the container logs. */
  static final String LOG_ENV = "EMULATOR_LOG";
  /** Env var with a number of numbered lines the container logs at start (ECI caps env values at 256 characters). */
  static final String LOG_LINES_ENV = "EMULATOR_LOG_LINES";
  /** Env var that, when "true", makes pulling the container's image fail: the group stays Pending. */
  static final String PULL_FAILS_ENV = "EMULATOR_IMAGE_PULL_FAILS";
  /** Env var that, when "false", keeps the running container not Ready (a failing readiness probe). */
  static final String READY_ENV = "EMULATOR_READY";

  private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  final String name;
  final String image;
  final OptionalDouble cpu;
  final OptionalDouble memory;
  final Optional<String> workingDir;
  final Optional<String> imagePullPolicy;
  final ImmutableList<String> commands;
  final ImmutableList<String> args;
  /** Literal values; a FieldRef env var maps to its field path in {@link #fieldRefs}. */
  final ImmutableMap<String, String> env;
  final ImmutableMap<String, String> fieldRefs;
  final ImmutableList<Map<String, Object>> ports;
  final ImmutableList<Map<String, Object>> volumeMounts;
  final FlatParams raw;
  final Optional<Duration> exitAfter;
  final int exitCode;
  final boolean imagePullFails;
  final boolean ready;

  private ContainerSpec(FlatParams p) {
    this.raw = p;
    this.name = p.required("Name");
    this.image = p.required("Image");
    if (!CONTAINER_NAME.matcher(name).matches()) {
      throw ApiException.invalidParameter(p.path() + ".Name", "must be a DNS-1123 label: " + name);
    }
    this.cpu = p.number("Cpu");
    this.memory = p.number("Memory");
    this.workingDir = p.string("WorkingDir");
    this.imagePullPolicy = p.string("ImagePullPolicy");
    imagePullPolicy.ifPresent(policy -> {
      if (!List.of("Always", "IfNotPresent", "Never").contains(policy)) {
        throw ApiException.invalidParameter(p.path() + ".ImagePullPolicy", "must be Always, IfNotPresent or Never: " + policy);
      }
    });
    this.commands = ImmutableList.copyOf(p.strings("Command"));
    this.args = ImmutableList.copyOf(p.strings("Arg"));
    Map<String, String> literal = new LinkedHashMap<>();
    Map<String, String> refs = new LinkedHashMap<>();
    for (FlatParams e : p.list("EnvironmentVar")) {
      String key = e.required("Key");
      Optional<String> fieldPath = e.object("FieldRef").string("FieldPath");
      if (fieldPath.isPresent()) {
        refs.put(key, fieldPath.get());
      } else {
        literal.put(key, e.string("Value").orElse(""));
      }
    }
    this.env = ImmutableMap.copyOf(literal);
    this.fieldRefs = ImmutableMap.copyOf(refs);
    ImmutableList.Builder<Map<String, Object>> portList = ImmutableList.builder();
    for (FlatParams port : p.list("Port")) {
      int number = port.integer("Port").orElseThrow(() -> ApiException.missingParameter(port.path() + ".Port"));
      if (number < 1 || number > 65535) {
        throw ApiException.invalidParameter(port.path() + ".Port", "must be 1..65535: " + number);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Port", number);
      m.put("Protocol", port.string("Protocol").orElse("TCP").toUpperCase(Locale.ROOT));
      portList.add(m);
    }
    this.ports = portList.build();
    ImmutableList.Builder<Map<String, Object>> mounts = ImmutableList.builder();
    for (FlatParams mount : p.list("VolumeMount")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", mount.required("Name"));
      m.put("MountPath", mount.required("MountPath"));
      m.put("ReadOnly", mount.bool("ReadOnly").orElse(false));
      mount.string("SubPath").ifPresent(s -> m.put("SubPath", s));
      mount.string("MountPropagation").ifPresent(s -> m.put("MountPropagation", s));
      mounts.add(m);
    }
    this.volumeMounts = mounts.build();
    this.exitAfter = Optional.ofNullable(env.get(EXIT_AFTER_ENV)).map(v -> parseSeconds(p, v));
    this.exitCode = Optional.ofNullable(env.get(EXIT_CODE_ENV)).map(v -> parseExitCode(p, v)).orElse(0);
    this.imagePullFails = Boolean.parseBoolean(env.getOrDefault(PULL_FAILS_ENV, "false").trim());
    this.ready = !env.getOrDefault(READY_ENV, "true").trim().equalsIgnoreCase("false");
  }

  static ContainerSpec parse(FlatParams p) {
    return new ContainerSpec(p);
  }

  private static Duration parseSeconds(FlatParams p, String value) {
    try {
      double seconds = Double.parseDouble(value.trim());
      if (seconds < 0 || seconds > 365 * 86400.0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter(p.path() + ".EnvironmentVar(" + EXIT_AFTER_ENV + ")", "not a number of seconds: " + value);
    }
  }

  private static int parseExitCode(FlatParams p, String value) {
    try {
      int code = Integer.parseInt(value.trim());
      if (code < 0 || code > 255) {
        throw new NumberFormatException();
      }
      return code;
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter(p.path() + ".EnvironmentVar(" + EXIT_CODE_ENV + ")", "not an exit code 0..255: " + value);
    }
  }

  /** The lines the container writes when it starts. */
  List<String> startupLog() {
    String configured = env.get(LOG_ENV);
    if (configured != null) {
      return List.of(configured.replace("\\n", "\n").split("\n", -1));
    }
    String lines = env.get(LOG_LINES_ENV);
    if (lines != null && lines.trim().matches("[0-9]{1,5}")) {
      return java.util.stream.IntStream.rangeClosed(1, Integer.parseInt(lines.trim())).mapToObj(i -> "line " + i).toList();
    }
    return List.of("emulator: container " + name + " started from image " + image);
  }
}
