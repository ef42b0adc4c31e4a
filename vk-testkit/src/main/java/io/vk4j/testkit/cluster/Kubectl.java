package io.vk4j.testkit.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine's real {@code kubectl}, for end-to-end tests: against a cluster's kubeconfig, with
 * extra environment variables if needed, run to completion or kept running (port-forward, logs -f,
 * interactive exec) while the test talks to it.
 */
public final class Kubectl {
  /** What a finished kubectl printed and returned. */
  public record Result(int exitCode, String out, String err) {
    /** What it printed on stdout, once it is sure it succeeded. */
    public String succeeded() {
      if (exitCode != 0) {
        throw new AssertionError("kubectl exited " + exitCode + ": " + err + out);
      }
      return out;
    }
  }

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private final List<String> prefix;
  private final Map<String, String> environment;

  private Kubectl(List<String> prefix, Map<String, String> environment) {
    this.prefix = List.copyOf(prefix);
    this.environment = Map.copyOf(environment);
  }

  /** {@code kubectl --kubeconfig FILE}. */
  public static Kubectl of(Path kubeconfig) {
    return new Kubectl(List.of("kubectl", "--kubeconfig", kubeconfig.toString()), Map.of());
  }

  /** The same with an environment variable set (for example {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false}). */
  public Kubectl withEnvironment(String name, String value) {
    Map<String, String> more = new HashMap<>(environment);
    more.put(name, value);
    return new Kubectl(prefix, more);
  }

  /** The same with more global flags (for example {@code --token}). */
  public Kubectl withFlags(String... flags) {
    List<String> more = new ArrayList<>(prefix);
    more.addAll(List.of(flags));
    return new Kubectl(more, environment);
  }

  /** The command line of {@code kubectl args}, for tools that run it themselves ({@code script -c}). */
  public List<String> command(String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(args));
    return command;
  }

  /** Runs kubectl to completion with nothing on its stdin. */
  public Result run(String... args) {
    return run(new byte[0], args);
  }

  /** Runs kubectl to completion with {@code stdin} piped in. */
  public Result run(byte[] stdin, String... args) {
    try (Running running = start(command(args))) {
      running.stdin().write(stdin);
      running.stdin().close();
      int code = running.waitFor(PATIENCE);
      return new Result(code, running.out(), running.err());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts kubectl and leaves it running. */
  public Running start(String... args) {
    return start(command(args));
  }

  /** Starts {@code command} (kubectl, or a tool wrapping it) with this environment. */
  public Running start(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    try {
      return new Running(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
  }

  /** A running process whose output is collected as it comes. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    private Running(Process process) {
      this.process = process;
      this.outReader = collect(process.getInputStream(), out);
      this.errReader = collect(process.getErrorStream(), err);
    }

    private static Thread collect(InputStream stream, StringBuffer into) {
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
            into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "kubectl-output");
      reader.setDaemon(true);
      reader.start();
      return reader;
    }

    public OutputStream stdin() {
      return process.getOutputStream();
    }

    /** Writes {@code text} to its stdin at once. */
    public void type(String text) {
      try {
        stdin().write(text.getBytes(StandardCharsets.UTF_8));
        stdin().flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Everything printed on stdout so far. */
    public String out() {
      return out.toString();
    }

    public String err() {
      return err.toString();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Waits for the process to end and its output to be read; its exit code. */
    public int waitFor(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("still running after " + timeout + "; out: " + out + "; err: " + err);
        }
        outReader.join(timeout.toMillis());
        errReader.join(timeout.toMillis());
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }

    /** Stops it (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
