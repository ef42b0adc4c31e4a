package io.vk4j.eci.emulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ExecContainerCommand: the emulator has no real containers, so it answers a few built-in commands from
 * what it knows of the container (env, config files, working dir), synchronously or over a WebSocket session
 * ({@link InteractiveExec}).
 */
final class ContainerCommands {

  /** ExecContainerCommand's documented bounds: at most 20 entries of at most 256 characters. */
  static final int MAX_COMMAND_WORDS = 20;
  static final int MAX_WORD_LENGTH = 256;
  private static final java.util.Set<String> SHELLS = java.util.Set.of("sh", "/bin/sh", "bash", "/bin/bash");

  private ContainerCommands() {}

  /**
   * With {@code Sync=true} the output in {@code SyncResponse}; without, a {@code WebSocketUri} (and
   * {@code HttpUrl}) valid 30 s for one interactive session, served by {@link ExecWebSocketServer}.
   */
  static Map<String, Object> exec(ContainerGroupStore store, ExecSessions sessions, FlatParams p) {
    String id = p.required("ContainerGroupId");
    String containerName = p.required("ContainerName");
    List<String> command = parseCommand(p.required("Command"));
    boolean sync = p.bool("Sync").orElse(false);
    boolean tty = p.bool("TTY").orElse(false);
    if (!sync) {
      return store.locked(() -> {
        runningContainer(store, id, containerName);
        // Stdin defaults to true, as documented
        String token = sessions.open(new ExecSessions.Session(id, containerName, command, tty, p.bool("Stdin").orElse(true)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("WebSocketUri", sessions.webSocketUri(token));
        out.put("HttpUrl", sessions.httpUrl(token));
        return out;
      });
    }
    if (tty) {
      throw ApiException.invalidParameter("TTY", "Sync=true needs TTY=false");
    }
    if (command.size() == 1 && SHELLS.contains(command.get(0))) {
      throw ApiException.invalidParameter("Command", "Sync=true cannot run an interactive shell: " + command.get(0));
    }
    return store.locked(() -> {
      ContainerRuntime container = runningContainer(store, id, containerName);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("SyncResponse", run(store.get(id), container, command));
      return out;
    });
  }

  /** The running (non-init) container {@code name} of group {@code id}; call under the store's lock. */
  static ContainerRuntime runningContainer(ContainerGroupStore store, String id, String name) {
    ContainerGroup group = store.get(id);
    ContainerRuntime container = group.container(name);
    if (container == null || container.init) {
      throw ApiException.invalidParameter("ContainerName", "container group " + id + " has no container " + name);
    }
    if (!container.current.state.equals("Running")) {
      throw ApiException.incorrectStatus(id, group.status + " (container " + name + " is " + container.current.state + ")", "ExecContainerCommand");
    }
    return container;
  }

  static List<String> parseCommand(String json) {
    List<String> words = new ArrayList<>();
    try {
      JsonElement element = JsonParser.parseString(json);
      if (!element.isJsonArray()) {
        throw new IllegalArgumentException("not a JSON array");
      }
      JsonArray array = element.getAsJsonArray();
      for (JsonElement word : array) {
        if (!word.isJsonPrimitive() || !word.getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException("words must be strings");
        }
        words.add(word.getAsString());
      }
    } catch (RuntimeException e) {
      throw ApiException.invalidParameter("Command", "must be a JSON array of strings such as [\"sh\",\"-c\",\"echo hi\"]: " + e.getMessage());
    }
    if (words.isEmpty() || words.size() > MAX_COMMAND_WORDS) {
      throw ApiException.invalidParameter("Command", "must have 1.." + MAX_COMMAND_WORDS + " entries, got " + words.size());
    }
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).length() > MAX_WORD_LENGTH) {
        throw ApiException.invalidParameter("Command", "entry " + (i + 1) + " has " + words.get(i).length()
            + " characters, at most " + MAX_WORD_LENGTH);
      }
    }
    return words;
  }

  /** The output of a built-in; {@code sh -c "..."} runs the built-in it names. */
  static String run(ContainerGroup group, ContainerRuntime container, List<String> command) {
    List<String> words = command;
    String shell = words.get(0);
    if ((shell.equals("sh") || shell.equals("/bin/sh") || shell.equals("bash") || shell.equals("/bin/bash")) && words.size() >= 3 && words.get(1).equals("-c")) {
      words = Arrays.asList(words.get(2).trim().split("\\s+"));
    }
    String program = words.get(0);
    List<String> args = words.subList(1, words.size());
    ContainerSpec spec = container.spec;
    switch (program.substring(program.lastIndexOf('/') + 1)) {
      case "echo":
        return String.join(" ", args) + "\n";
      case "hostname":
        return group.spec.hostName + "\n";
      case "pwd":
        return spec.workingDir.orElse("/") + "\n";
      case "whoami":
        return "root\n";
      case "true":
        return "";
      case "uname":
        return "Linux\n";
      case "env":
      case "printenv": {
        Map<String, String> env = environment(group, container);
        if (!args.isEmpty()) {
          String value = env.get(args.get(0));
          return value == null ? "" : value + "\n";
        }
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
      }
      case "cat": {
        StringBuilder sb = new StringBuilder();
        for (String path : args) {
          String content = file(group, spec, path);
          sb.append(content == null ? "cat: " + path + ": No such file or directory\n" : content);
        }
        return sb.toString();
      }
      case "stat": {
        // only "stat -c %a FILE": the permission bits of a config file, in octal
        if (args.size() != 3 || !args.get(0).equals("-c") || !args.get(1).equals("%a")) {
          return "stat: the emulator answers only stat -c %a FILE\n";
        }
        Integer mode = mode(group, spec, args.get(2));
        return mode == null ? "stat: cannot stat '" + args.get(2) + "': No such file or directory\n"
            : Integer.toOctalString(mode) + "\n";
      }
      case "ls": {
        String dir = args.isEmpty() ? spec.workingDir.orElse("/") : args.get(0);
        TreeSet<String> entries = list(group, spec, dir);
        return entries.isEmpty() ? "" : String.join("\n", entries) + "\n";
      }
      default:
        return "sh: " + program + ": not found\n";
    }
  }

  private static Map<String, String> environment(ContainerGroup group, ContainerRuntime container) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOSTNAME", group.spec.hostName);
    env.putAll(container.spec.env);
    container.spec.fieldRefs.forEach((key, path) -> env.put(key, switch (path) {
      case "status.podIP" -> group.intranetIp == null ? "" : group.intranetIp;
      case "metadata.name" -> group.spec.name;
      default -> "";
    }));
    return env;
  }

  /** The content of a config-file volume file mounted at {@code path}, or null. */
  private static String file(ContainerGroup group, ContainerSpec spec, String path) {
    return lookUp(group.spec.configFiles, spec, path);
  }

  private static Integer mode(ContainerGroup group, ContainerSpec spec, String path) {
    return lookUp(group.spec.configFileModes, spec, path);
  }

  /** What {@code byVolume} holds for the config file mounted at {@code path}, or null. */
  private static <T> T lookUp(Map<String, ? extends Map<String, T>> byVolume, ContainerSpec spec, String path) {
    for (Map<String, Object> mount : spec.volumeMounts) {
      String mountPath = stripSlash((String) mount.get("MountPath"));
      Map<String, T> files = byVolume.get((String) mount.get("Name"));
      if (files == null) {
        continue;
      }
      String subPath = (String) mount.get("SubPath");
      if (subPath != null) {
        if (stripSlash(path).equals(mountPath)) {
          return files.get(subPath);
        }
      } else if (stripSlash(path).startsWith(mountPath + "/")) {
        T value = files.get(stripSlash(path).substring(mountPath.length() + 1));
        if (value != null) {
          return value;
        }
      }
    }
    return null;
  }

  private static TreeSet<String> list(ContainerGroup group, ContainerSpec spec, String dir) {
    TreeSet<String> entries = new TreeSet<>();
    String prefix = stripSlash(dir);
    for (Map<String, Object> mount : spec.volumeMounts) {
      String mountPath = stripSlash((String) mount.get("MountPath"));
      Map<String, String> files = group.spec.configFiles.get((String) mount.get("Name"));
      if (files != null && mountPath.equals(prefix) && mount.get("SubPath") == null) {
        for (String file : files.keySet()) {
          entries.add(file.split("/")[0]);
        }
      }
    }
    return entries;
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
