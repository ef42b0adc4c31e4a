package io.vk4j.eci.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** DescribeContainerLog: the lines a container wrote, filtered as ECI filters them. */
final class ContainerLogs {

  /** Lines returned without Tail, and at most. */
  static final int DEFAULT_TAIL = 500;
  static final int MAX_TAIL = 2000;
  static final int MAX_LIMIT_BYTES = 1024 * 1024;

  private ContainerLogs() {}

  static Map<String, Object> describe(ContainerGroupStore store, FlatParams p) {
    String id = p.required("ContainerGroupId");
    String containerName = p.required("ContainerName");
    OptionalInt sinceSeconds = p.integer("SinceSeconds");
    if (sinceSeconds.isPresent() && sinceSeconds.getAsInt() < 1) {
      throw ApiException.invalidParameter("SinceSeconds", "must be positive: " + sinceSeconds.getAsInt());
    }
    Optional<Instant> since = sinceSeconds.isPresent()
        ? Optional.of(store.now().minusSeconds(sinceSeconds.getAsInt())) : Times.parseStrict(p, "StartTime");
    int tail = p.integer("Tail").orElse(DEFAULT_TAIL);
    if (tail < 0 || tail > MAX_TAIL) {
      throw ApiException.invalidParameter("Tail", "must be 0.." + MAX_TAIL + ": " + tail);
    }
    int limitBytes = p.integer("LimitBytes").orElse(-1);
    if (p.has("LimitBytes") && (limitBytes < 1 || limitBytes > MAX_LIMIT_BYTES)) {
      throw ApiException.invalidParameter("LimitBytes", "must be 1.." + MAX_LIMIT_BYTES + ": " + limitBytes);
    }
    boolean timestamps = p.bool("Timestamps").orElse(false);
    boolean previous = p.bool("LastTime").orElse(false);
    return store.locked(() -> {
      ContainerGroup group = store.get(id);
      ContainerRuntime container = group.container(containerName);
      if (container == null) {
        throw ApiException.invalidParameter("ContainerName", "container group " + id + " has no container " + containerName);
      }
      Deque<ContainerRuntime.LogLine> source = previous ? container.previousLogs : container.logs;
      List<String> lines = new ArrayList<>();
      for (ContainerRuntime.LogLine line : source) {
        if (since.isEmpty() || !line.at().isBefore(since.get())) {
          lines.add(timestamps ? Times.formatNanos(line.at()) + " " + line.text() : line.text());
        }
      }
      if (lines.size() > tail) {
        lines = lines.subList(lines.size() - tail, lines.size());
      }
      StringBuilder content = new StringBuilder();
      lines.forEach(line -> content.append(line).append('\n'));
      String text = content.toString();
      if (limitBytes > 0) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > limitBytes) {
          text = new String(bytes, 0, limitBytes, StandardCharsets.UTF_8);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ContainerName", containerName);
      out.put("Content", text);
      return out;
    });
  }
}
