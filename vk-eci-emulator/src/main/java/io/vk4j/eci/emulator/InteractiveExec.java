package io.vk4j.eci.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The process behind one interactive exec session. A shell ({@code sh}, {@code bash}) reads stdin line by line
 * and answers each with the emulator's built-ins (see {@link ContainerCommands}), plus {@code stty size} (the
 * terminal's size) and {@code exit [code]}; {@code cat} without arguments copies stdin to stdout; any other
 * command prints its built-in output and exits 0. With a terminal, typed input is echoed and there is no
 * separate stderr. Called on one thread at a time.
 */
final class InteractiveExec {
  private static final Set<String> SHELLS = Set.of("sh", "/bin/sh", "bash", "/bin/bash");

  /** Where the process writes. */
  interface Output {
    void stdout(byte[] bytes);

    void stderr(byte[] bytes);

    void exit(int code);
  }

  private final ContainerGroupStore store;
  private final ExecSessions.Session session;
  private final Output out;
  private final StringBuilder line = new StringBuilder();
  private int columns = 80;
  private int rows = 24;
  private boolean ended;

  InteractiveExec(ContainerGroupStore store, ExecSessions.Session session, Output out) {
    this.store = store;
    this.session = session;
    this.out = out;
  }

  void start() {
    if (isShell() || isCat()) {
      return;
    }
    String output = builtIn(session.command());
    if (output != null) {
      out.stdout(bytes(output));
      end(0);
    }
  }

  void input(byte[] data) {
    if (ended) {
      return;
    }
    if (isCat()) {
      out.stdout(data);
      return;
    }
    if (!isShell()) {
      return;
    }
    String text = new String(data, StandardCharsets.UTF_8);
    for (char c : text.toCharArray()) {
      if (session.tty()) {
        out.stdout(bytes(c == '\r' ? "\r\n" : String.valueOf(c)));
      }
      if (c == '\n' || c == '\r') {
        String command = line.toString().trim();
        line.setLength(0);
        if (!command.isEmpty()) {
          runLine(command);
        }
        if (ended) {
          return;
        }
      } else {
        line.append(c);
      }
    }
  }

  void stdinClosed() {
    if (isShell() || isCat()) {
      end(0);
    }
  }

  void resize(int newColumns, int newRows) {
    this.columns = newColumns;
    this.rows = newRows;
  }

  private void runLine(String command) {
    List<String> words = Arrays.asList(command.split("\\s+"));
    if (words.get(0).equals("exit")) {
      end(words.size() > 1 && words.get(1).matches("[0-9]{1,3}") ? Integer.parseInt(words.get(1)) & 0xff : 0);
      return;
    }
    if (words.equals(List.of("stty", "size"))) {
      out.stdout(bytes(rows + " " + columns + "\n"));
      return;
    }
    String output = builtIn(words);
    if (output != null) {
      out.stdout(bytes(session.tty() ? output.replace("\n", "\r\n") : output));
    }
  }

  /** The built-in's output, or null once the group or container is gone (the session ends). */
  private String builtIn(List<String> words) {
    try {
      return store.locked(() -> ContainerCommands.run(store.get(session.groupId()),
          ContainerCommands.runningContainer(store, session.groupId(), session.containerName()), words));
    } catch (ApiException e) {
      byte[] message = bytes(e.getMessage() + "\n");
      if (session.tty()) {
        out.stdout(message);
      } else {
        out.stderr(message);
      }
      end(137);
      return null;
    }
  }

  private boolean isShell() {
    return session.command().size() == 1 && SHELLS.contains(session.command().get(0));
  }

  private boolean isCat() {
    return session.command().equals(List.of("cat"));
  }

  private void end(int code) {
    if (!ended) {
      ended = true;
      out.exit(code);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
