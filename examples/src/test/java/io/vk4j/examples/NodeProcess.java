package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code VirtualNodeMain} in a JVM of its own, as a StatefulSet replica runs it: stopped with SIGTERM
 * (what the kubelet sends a pod it deletes) or killed with SIGKILL (a crash). Its output goes to
 * {@code target/node-logs/<name>.log}.
 */
final class NodeProcess implements AutoCloseable {
  final String name;
  final Path log;
  private final Process process;

  private NodeProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static NodeProcess start(String name, Map<String, String> environment, List<String> args) throws IOException {
    Path log = Path.of("target", "node-logs", name + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    // the test class path without slf4j-simple, so that the node logs through logback as the jar does
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("slf4j-simple")).collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
        VirtualNodeMain.class.getName(), "--nodename", name));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    return new NodeProcess(name, log, builder.start());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, and the exit status once it ended by itself. */
  int terminate() throws Exception {
    process.destroy();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("%s ended after SIGTERM; log %s", name, log).isTrue();
    return process.exitValue();
  }

  /** SIGKILL: nothing runs any more, nothing is cleaned. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
  }
}
