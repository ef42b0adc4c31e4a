package io.vk4j.runtime.internal.kubelet;

import io.vk4j.api.ContainerRef;
import java.util.List;

/**
 * An exec or attach request, from its path and query as the API server forwards them ({@code
 * input}, {@code output}, {@code error}, {@code tty}, {@code command}; {@code stdin}, {@code
 * stdout}, {@code stderr} are accepted too, as direct clients send them). With a terminal there is
 * no separate stderr.
 */
record ExecRequest(ContainerRef container, List<String> command, boolean stdin, boolean stdout, boolean stderr,
    boolean tty, boolean attach) {

  static ExecRequest parse(List<String> path, QueryParameters query, boolean attach) throws HttpError {
    String what = attach ? "attach" : "exec";
    // {namespace}/{pod}/{container} or {namespace}/{pod}/{uid}/{container}
    if (path.size() != 3 && path.size() != 4) {
      throw HttpError.notFound("expected /" + what + "/{namespace}/{pod}/{container}");
    }
    ContainerRef container = ContainerRef.of(path.get(0), path.get(1), path.get(path.size() - 1));
    List<String> command = query.all("command");
    if (!attach && command.isEmpty()) {
      throw HttpError.badRequest("command: at least one 'command' parameter is required");
    }
    boolean tty = flag(query, "tty", "tty");
    boolean stdin = flag(query, "input", "stdin");
    boolean stdout = flag(query, "output", "stdout");
    boolean stderr = flag(query, "error", "stderr") && !tty;
    if (!stdin && !stdout && !stderr) {
      throw HttpError.badRequest("you must request at least one of stdin, stdout and stderr");
    }
    return new ExecRequest(container, attach ? List.of() : command, stdin, stdout, stderr, tty, attach);
  }

  private static boolean flag(QueryParameters query, String name, String alias) {
    String value = query.first(name).or(() -> query.first(alias)).orElse("");
    return value.equals("1") || value.equalsIgnoreCase("true");
  }
}
