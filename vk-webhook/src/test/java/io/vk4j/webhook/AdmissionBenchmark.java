package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission latency and throughput over HTTPS: not a test (its name keeps it out of the default
 * run) but a measurement, run with
 * {@code mvn -B -o -pl vk-webhook test -Dtest=AdmissionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read in {@code target/surefire-reports/io.vk4j.webhook.AdmissionBenchmark-output.txt}.
 *
 * <p>Server and client are processes of their own. The server ({@link AdmissionBenchmarkServer}:
 * the production {@link WebhookServer}, one event-loop thread and one worker) runs with the JVM
 * options of the deployment manifest, pinned to core 0 and told it has one processor, as in a pod
 * limited to one CPU; the client ({@link AdmissionBenchmarkClient}) is pinned to the other cores, so
 * neither takes the other's CPU. Pinning needs {@code taskset} and two cores; without them the
 * processes share the machine and the report says so. Both processes run a {@link Hiccups} meter
 * during each measured loop, which shows the stalls that no request caused. The open loop is measured
 * as the machine is and again with every core kept from idling by a spinner at the lowest priority
 * (see {@link AdmissionBenchmarkClient}). The review is
 * {@code golden/rule-pod-label-eci}, one that is patched. Options: {@code -Dbenchmark.rate}
 * (reviews/s, default 1000), {@code -Dbenchmark.seconds} (default 20),
 * {@code -Dbenchmark.serverJvmArgs} (extra server JVM options, e.g. GC logging).
 */
class AdmissionBenchmark {

  private static final Path REVIEW = Path.of("src/test/resources/golden/rule-pod-label-eci/request.json");
  /**
   * The JVM of {@code deploy/20-deployment.yaml} (heap at 75% of its 384 MiB limit, fixed and
   * touched at start-up) on one CPU.
   */
  private static final List<String> SERVER_JVM =
      List.of("-XX:ActiveProcessorCount=1", "-Xms288m", "-Xmx288m", "-XX:+AlwaysPreTouch", "-XX:+ExitOnOutOfMemoryError");

  @Test
  void measure(@TempDir Path tmp) throws Exception {
    int rate = Integer.getInteger("benchmark.rate", 1000);
    int seconds = Integer.getInteger("benchmark.seconds", 20);
    int cores = Runtime.getRuntime().availableProcessors();
    boolean pinned = cores >= 2 && onPath("taskset");
    Path caFile = tmp.resolve("ca.pem");

    List<String> serverJvm = new ArrayList<>(SERVER_JVM);
    String extra = System.getProperty("benchmark.serverJvmArgs", "");
    if (!extra.isBlank()) {
      serverJvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    Process server = java(pinned ? "0" : null, serverJvm, AdmissionBenchmarkServer.class, caFile.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader serverOut = reader(server)) {
      String portLine = serverOut.readLine();
      assertThat(portLine).as("server start-up line").startsWith("PORT ");
      String port = portLine.substring(5).trim();

      Process client = java(pinned ? "1-" + (cores - 1) : null,
          List.of("-XX:+UseSerialGC", "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"),
          AdmissionBenchmarkClient.class,
          port, caFile.toString(), REVIEW.toString(), Integer.toString(rate), Integer.toString(seconds))
          .redirectErrorStream(true).start();
      List<String> clientReport = new ArrayList<>();
      Writer serverCommands = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8);
      Writer clientCommands = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
      List<Process> spinners = new ArrayList<>();
      try (BufferedReader clientOut = reader(client)) {
        for (String line = clientOut.readLine(); line != null; line = clientOut.readLine()) {
          switch (line) {
            case "@measure-start" -> command(serverCommands, "start");
            case "@measure-end" -> {
              command(serverCommands, "stop");
              clientReport.add("    server hiccups: " + serverOut.readLine().replaceFirst("^HICCUPS ", ""));
            }
            case "@awake-start" -> {
              for (int core = 0; core < cores; core++) {
                spinners.add(spinner(pinned ? Integer.toString(core) : null));
              }
              command(clientCommands, "go");
            }
            case "@awake-end" -> stopAll(spinners);
            default -> clientReport.add(line);
          }
        }
      } finally {
        stopAll(spinners);
      }
      serverCommands.close();
      String gcLine = serverOut.readLine();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String[] gc = gcLine == null ? new String[] {"GC", "?", "?"} : gcLine.split(" ");

      StringBuilder report = new StringBuilder(String.format(
          "vk-webhook admission benchmark: HTTPS loopback, %d-byte review, server %s, %d cores, load %.1f%n",
          Files.size(REVIEW), pinned ? "pinned to core 0, client on the others" : "NOT pinned (no taskset or one core)",
          cores, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      clientReport.forEach(line -> report.append(line).append(System.lineSeparator()));
      report.append(String.format("  server GC over the whole run: %s collections, %s ms%n", gc[1], gc[2]));
      System.out.print(report);
      System.err.print(report);
      assertThat(report).contains("p99 ");
    } finally {
      server.destroyForcibly();
    }
  }

  /** A busy loop at the lowest priority, pinned to {@code cpu} when given: it keeps the core from halting. */
  private static Process spinner(String cpu) throws IOException {
    List<String> command = new ArrayList<>();
    if (cpu != null) {
      command.addAll(List.of("taskset", "-c", cpu));
    }
    command.addAll(List.of("nice", "-n", "19", "sh", "-c", "while :; do :; done"));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static void stopAll(List<Process> processes) {
    processes.forEach(Process::destroyForcibly);
    processes.clear();
  }

  private static void command(Writer to, String command) throws IOException {
    to.write(command + "\n");
    to.flush();
  }

  /** A JVM on this test's class path running {@code main}, pinned to {@code cpus} when given. */
  private static ProcessBuilder java(String cpus, List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command);
  }

  private static BufferedReader reader(Process process) {
    return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
