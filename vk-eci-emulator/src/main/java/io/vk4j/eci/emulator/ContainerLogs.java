package io.vk4j.eci.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** DescribeContainerLog: the lines a container wrote, filtered as ECI filters them. */
final class ContainerLogs {

  private ContainerLogs() {}

  static Map<String, Object> describe(ContainerGroupStore store, FlatParams p) {
    String id = p.required("ContainerGroupId");
    String containerName = p.required("ContainerName");
    Optional<Instant> since = Times.parse(p, "StartTime");
    int tail = p.integer("Tail").orElse(-1);
    int limitBytes = p.integer("LimitBytes").orElse(-1);
    if (p.has("Tail") && tail < 0) {
      throw ApiException.invalidParameter("Tail", "must not be negative: " + tail);
    }
    if (p.has("LimitBytes") && limitBytes < 1) {
      throw ApiException.invalidParameter("LimitBytes", "must be positive: " + limitBytes);
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
      if (tail >= 0 && lines.size() > tail) {
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
