package io.vk4j.testkit.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the cluster tests run against: {@code $KUBECONFIG} when set, otherwise the project's local
 * control plane ({@code scripts/control-plane.sh}), started at most once per JVM.
 */
final class ControlPlane {
  private static final long START_TIMEOUT_MINUTES = 45; // a cold start builds kube-apiserver first

  private static Path kubeconfig;

  private ControlPlane() {}

  static synchronized Path kubeconfig() {
    if (kubeconfig == null) {
      kubeconfig = locate();
    }
    return kubeconfig;
  }

  private static Path locate() {
    String fromEnv = System.getenv("KUBECONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path path = Paths.get(fromEnv.split(java.io.File.pathSeparator)[0]);
      if (!Files.isReadable(path)) {
        throw new IllegalStateException("$KUBECONFIG names " + path + ", which cannot be read");
      }
      return path;
    }
    Path script = projectRoot().resolve("scripts/control-plane.sh");
    boolean wasRunning = run(script, "running", 30) == 0;
    Path path = start(script);
    if (!wasRunning && !"true".equals(System.getenv("VK4J_KEEP_CONTROL_PLANE"))) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> run(script, "stop", 60), "control-plane-stop"));
    }
    return path;
  }

  private static Path start(Path script) {
    try {
      Process process = new ProcessBuilder("bash", script.toString(), "start")
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      List<String> lines;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        lines = out.lines().toList();
      }
      if (!process.waitFor(START_TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0 || lines.isEmpty()) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " start failed; see the logs it names above");
      }
      return Paths.get(lines.get(lines.size() - 1).trim());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the control plane", e);
    }
  }

  private static int run(Path script, String command, long timeoutSeconds) {
    try {
      Process process = new ProcessBuilder("bash", script.toString(), command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The checkout: Maven passes it to tests; otherwise the nearest folder with the script. */
  static Path projectRoot() {
    String fromMaven = System.getProperty("vk4j.projectRoot");
    if (fromMaven != null && Files.exists(Paths.get(fromMaven, "scripts/control-plane.sh"))) {
      return Paths.get(fromMaven);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("scripts/control-plane.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find scripts/control-plane.sh above " + Paths.get("").toAbsolutePath()
        + "; set $KUBECONFIG to use an existing cluster");
  }
}
