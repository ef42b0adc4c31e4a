package io.vk4j.provider.fake;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ProviderException;
import io.vk4j.api.TerminalSize;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The few commands a fake container understands, enough for demos and tests of exec: {@code echo},
 * {@code env}, {@code printenv}, {@code hostname}, {@code cat} (stdin or a few files), {@code pwd},
 * {@code true}, {@code false}, {@code sleep N}, {@code exit N}, {@code stty size} (the terminal's
 * rows and columns, following the client's resizes), {@code sh -c "..."} with commands separated
 * by {@code ;}, and a bare {@code sh} that runs the lines of stdin. Anything else exits with 127,
 * as a shell does.
 */
final class ExecShell {
  private final PodSimulation.ContainerView container;
  private final boolean tty;
  private volatile TerminalSize size;
  private boolean exited; // a shell's script ran exit

  ExecShell(PodSimulation.ContainerView container, boolean tty) {
    this.container = container;
    this.tty = tty;
  }

  int run(List<String> command, AttachIO io) throws ProviderException {
    io.onResize(newSize -> size = newSize);
    OutputStream stdout = io.stdout().map(out -> tty ? new TerminalOutput(out) : out)
        .orElse(OutputStream.nullOutputStream());
    OutputStream stderr = io.tty() ? stdout : io.stderr().orElse(OutputStream.nullOutputStream());
    try {
      int code = execute(command, io.stdin(), stdout, stderr);
      stdout.flush();
      stderr.flush();
      return code;
    } catch (IOException | UncheckedIOException e) {
      throw new ProviderException("ExecFailed", "the exec streams failed: " + e.getMessage(), e);
    }
  }

  private int execute(List<String> command, Optional<InputStream> stdin, OutputStream out, OutputStream err)
      throws IOException {
    String program = command.get(0);
    List<String> args = command.subList(1, command.size());
    String name = program.substring(program.lastIndexOf('/') + 1);
    switch (name) {
      case "sh", "bash", "ash":
        if (args.size() >= 2 && args.get(0).equals("-c")) {
          return script(args.get(1), stdin, out, err);
        }
        if (args.isEmpty() && stdin.isPresent()) {
          return interactive(stdin.get(), out, err);
        }
        write(err, name + ": the fake container runs 'sh -c \"commands\"' or an interactive sh\n");
        return 2;
      case "sleep":
        return sleep(args, err);
      case "echo":
        write(out, String.join(" ", args) + "\n");
        return 0;
      case "env":
        for (Map.Entry<String, String> var : environment().entrySet()) {
          write(out, var.getKey() + "=" + var.getValue() + "\n");
        }
        return 0;
      case "printenv":
        if (args.isEmpty()) {
          return execute(List.of("env"), stdin, out, err);
        }
        String value = environment().get(args.get(0));
        if (value == null) {
          return 1;
        }
        write(out, value + "\n");
        return 0;
      case "hostname":
        write(out, container.hostname() + "\n");
        return 0;
      case "pwd":
        write(out, (container.spec().getWorkingDir() != null ? container.spec().getWorkingDir() : "/") + "\n");
        return 0;
      case "true":
        return 0;
      case "false":
        return 1;
      case "exit":
        return exitCode(args, err);
      case "cat":
        return cat(args, stdin, out, err);
      case "stty":
        return stty(args, out, err);
      default:
        write(err, name + ": command not found\n");
        return 127;
    }
  }

  private int script(String script, Optional<InputStream> stdin, OutputStream out, OutputStream err)
      throws IOException {
    int code = 0;
    for (String part : script.split(";")) {
      List<String> words = words(part, environment());
      if (words.isEmpty()) {
        continue;
      }
      code = execute(words, stdin, out, err);
      if (words.get(0).equals("exit")) {
        exited = true;
        return code;
      }
    }
    return code;
  }

  /** A shell reading commands from stdin, one per line, until {@code exit} or the end of stdin. */
  private int interactive(InputStream stdin, OutputStream out, OutputStream err) throws IOException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    int code = 0;
    while (true) {
      write(out, "/ # ");
      out.flush();
      String line = lines.readLine();
      if (line == null) {
        return code;
      }
      if (tty) {
        write(out, line + "\n"); // a terminal echoes what is typed
      }
      code = script(line, Optional.empty(), out, err);
      out.flush();
      err.flush();
      if (exited) {
        return code;
      }
    }
  }

  private static int sleep(List<String> args, OutputStream err) throws IOException {
    try {
      double seconds = args.isEmpty() ? -1 : Double.parseDouble(args.get(0));
      if (seconds < 0) {
        write(err, "sleep: invalid time interval\n");
        return 1;
      }
      TimeUnit.MILLISECONDS.sleep(Math.round(seconds * 1000));
      return 0;
    } catch (NumberFormatException e) {
      write(err, "sleep: invalid time interval '" + args.get(0) + "'\n");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** {@code stty size}: rows and columns, as the client's terminal last reported them. */
  private int stty(List<String> args, OutputStream out, OutputStream err) throws IOException {
    if (!args.equals(List.of("size"))) {
      write(err, "stty: the fake container knows only 'stty size'\n");
      return 1;
    }
    if (!tty) {
      write(err, "stty: 'standard input': Inappropriate ioctl for device\n");
      return 1;
    }
    TerminalSize current = size;
    // a terminal whose size the client has not sent yet is 0 by 0, as a new pseudo-terminal is
    write(out, (current == null ? "0 0" : current.height() + " " + current.width()) + "\n");
    return 0;
  }

  /**
   * Splits a command line on blanks as a shell does: quotes honoured, {@code $NAME} and {@code
   * ${NAME}} replaced by the container's variables (empty when unset) outside single quotes.
   */
  static List<String> words(String line, Map<String, String> variables) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '$' && quote != '\'' && i + 1 < line.length()) {
        int end = variableEnd(line, i + 1);
        if (end > i + 1) {
          String name = line.substring(i + 1, end);
          boolean braced = name.startsWith("{");
          word.append(variables.getOrDefault(braced ? name.substring(1, name.length() - 1) : name, ""));
          inWord = true;
          i = end - 1;
          continue;
        }
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Where the variable name that starts at {@code start} ends ({@code start} when there is none). */
  private static int variableEnd(String line, int start) {
    if (line.charAt(start) == '{') {
      int close = line.indexOf('}', start);
      return close > start + 1 ? close + 1 : start;
    }
    int end = start;
    while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
      end++;
    }
    return end;
  }

  private static int exitCode(List<String> args, OutputStream err) throws IOException {
    if (args.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(args.get(0)) & 0xff;
    } catch (NumberFormatException e) {
      write(err, "exit: " + args.get(0) + ": numeric argument required\n");
      return 2;
    }
  }

  private int cat(List<String> args, Optional<InputStream> stdin, OutputStream out, OutputStream err)
      throws IOException {
    if (args.isEmpty()) {
      if (stdin.isPresent()) {
        stdin.get().transferTo(out);
      }
      return 0;
    }
    int code = 0;
    for (String file : args) {
      String content = switch (file) {
        case "/etc/hostname" -> container.hostname() + "\n";
        case "/etc/hosts" -> "127.0.0.1\tlocalhost\n" + container.podIp() + "\t" + container.hostname() + "\n";
        default -> null;
      };
      if (content == null) {
        write(err, "cat: " + file + ": No such file or directory\n");
        code = 1;
      } else {
        write(out, content);
      }
    }
    return code;
  }

  /** The container's variables as the runtime resolved them, plus what every container has. */
  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", container.hostname());
    if (container.spec().getEnv() != null) {
      for (V1EnvVar var : container.spec().getEnv()) {
        if (var.getValue() != null) {
          env.put(var.getName(), var.getValue());
        }
      }
    }
    return env;
  }

  /** What a terminal does to output: a line feed becomes carriage return and line feed. */
  private static final class TerminalOutput extends java.io.FilterOutputStream {
    TerminalOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (b == '\n') {
        out.write('\r');
      }
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      java.io.ByteArrayOutputStream translated = new java.io.ByteArrayOutputStream(length + 16);
      for (int i = offset; i < offset + length; i++) {
        if (bytes[i] == '\n') {
          translated.write('\r');
        }
        translated.write(bytes[i]);
      }
      out.write(translated.toByteArray());
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
