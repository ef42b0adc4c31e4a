package io.vk4j.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a node's CPU and allocations went, from the JFR recording of a {@code --profile} run: CPU
 * samples and allocation samples by the code they were in (the innermost frame, and every frame of
 * interest on the stack), so the profile findings in docs/benchmark.md can be checked.
 *
 * <pre>java -cp ... io.vk4j.examples.bench.JfrSummary node.jfr</pre>
 */
public final class JfrSummary {
  /** What a frame belongs to, first match wins; the rest is named by its package. */
  private static final Map<String, String> AREAS = areas();

  private final Map<String, Double> selfCpu = new HashMap<>();
  private final Map<String, Double> inclusiveCpu = new HashMap<>();
  private final Map<String, Double> selfAlloc = new HashMap<>();
  private final Map<String, Double> inclusiveAlloc = new HashMap<>();
  private final Map<String, Double> threadCpu = new HashMap<>();
  private double samples;
  private double allocated;

  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    for (String file : args) {
      summarize(Path.of(file), System.out);
    }
  }

  static void summarize(Path recording, PrintStream out) throws IOException {
    JfrSummary summary = new JfrSummary();
    summary.read(recording);
    summary.print(out, recording.getFileName().toString());
  }

  private static Map<String, String> areas() {
    Map<String, String> areas = new LinkedHashMap<>();
    areas.put("io.vk4j.runtime.internal.pod.PodStatuses.same", "vk4j PodStatuses.same (canonical JSON)");
    areas.put("io.vk4j.runtime.internal.pod.PodStatuses.canonical", "vk4j PodStatuses.same (canonical JSON)");
    areas.put("io.vk4j.runtime.internal.pod.PodStatuses.merge", "vk4j PodStatuses.merge");
    areas.put("io.vk4j.runtime.internal.pod.SpecFingerprint", "vk4j SpecFingerprint");
    areas.put("io.vk4j.runtime.internal.pod.ModelCopy", "vk4j ModelCopy (deep copies)");
    areas.put("io.vk4j.runtime.internal.client.ApiCalls", "vk4j status, delete and Event requests");
    areas.put("io.vk4j.runtime.internal.client", "vk4j watch cache");
    areas.put("io.vk4j.runtime.internal.pod.PodApiWriter", "vk4j status and delete writes");
    areas.put("io.vk4j.runtime.internal.pod", "vk4j pod controller (other)");
    areas.put("io.vk4j.runtime.internal.event", "vk4j events");
    areas.put("io.vk4j.runtime.internal.env", "vk4j env");
    areas.put("io.vk4j.runtime.internal.node", "vk4j node");
    areas.put("io.vk4j.runtime", "vk4j runtime (other)");
    areas.put("io.vk4j.provider", "provider");
    areas.put("io.kubernetes.client.openapi.models", "client-java models");
    areas.put("io.kubernetes.client.openapi.JSON", "client-java JSON");
    areas.put("io.kubernetes.client.util.Watch", "client-java Watch");
    areas.put("io.kubernetes.client", "client-java (other)");
    areas.put("com.google.gson", "Gson");
    areas.put("okhttp3", "OkHttp");
    areas.put("okio", "Okio");
    areas.put("sun.security.ssl", "TLS");
    areas.put("sun.security", "TLS");
    areas.put("javax.crypto", "TLS");
    areas.put("com.sun.crypto", "TLS");
    areas.put("org.slf4j", "logging");
    areas.put("java.time.format", "java.time formatting");
    areas.put("java.util.regex", "regex");
    areas.put("java.lang.Thread", "(thread)");
    areas.put("java.util.concurrent.ThreadPoolExecutor", "(thread)");
    return areas;
  }

  static String area(RecordedFrame frame) {
    String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    for (Map.Entry<String, String> area : AREAS.entrySet()) {
      if (name.startsWith(area.getKey())) {
        return area.getValue();
      }
    }
    String type = frame.getMethod().getType().getName();
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  private void read(Path file) throws IOException {
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      switch (event.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          samples++;
          add(event.getStackTrace(), 1, selfCpu, inclusiveCpu);
          threadCpu.merge(threadName(event), 1.0, Double::sum);
        }
        case "jdk.ObjectAllocationSample" -> {
          double weight = event.getLong("weight");
          allocated += weight;
          add(event.getStackTrace(), weight, selfAlloc, inclusiveAlloc);
        }
        default -> { }
      }
    }
  }

  private static String threadName(RecordedEvent event) {
    return event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName()
        .replaceAll("\\d+", "#");
  }

  private static void add(RecordedStackTrace stack, double weight, Map<String, Double> self,
      Map<String, Double> inclusive) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    List<RecordedFrame> frames = stack.getFrames();
    self.merge(area(frames.get(0)), weight, Double::sum);
    Set<String> seen = new HashSet<>();
    for (RecordedFrame frame : frames) {
      String area = area(frame);
      if (seen.add(area)) {
        inclusive.merge(area, weight, Double::sum);
      }
      String type = frame.getMethod().getType().getName();
      if (type.startsWith("io.vk4j.")) {
        String method = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
        if (seen.add(method)) {
          inclusive.merge("#" + method, weight, Double::sum);
        }
      }
    }
  }

  private void print(PrintStream out, String file) {
    out.printf(Locale.ROOT, "%s: %.0f CPU samples of Java code, %.0f MB allocated (sampled)%n", file, samples,
        allocated / 1e6);
    out.println("  CPU samples by thread: " + top(threadCpu, samples, 12));
    out.println("  CPU, innermost frame: " + top(selfCpu, samples, 16));
    out.println("  CPU, anywhere on stack: " + top(areasOnly(inclusiveCpu), samples, 22));
    out.println("  CPU, vk4j methods anywhere on stack: " + top(methodsOnly(inclusiveCpu), samples, 30));
    out.println("  allocation, innermost frame: " + top(selfAlloc, allocated, 12));
    out.println("  allocation, anywhere on stack: " + top(areasOnly(inclusiveAlloc), allocated, 18));
    out.println("  allocation, vk4j methods anywhere on stack: " + top(methodsOnly(inclusiveAlloc), allocated, 24));
  }

  private static Map<String, Double> areasOnly(Map<String, Double> inclusive) {
    Map<String, Double> areas = new HashMap<>(inclusive);
    areas.keySet().removeIf(k -> k.startsWith("#") || k.equals("(thread)"));
    return areas;
  }

  private static Map<String, Double> methodsOnly(Map<String, Double> inclusive) {
    Map<String, Double> methods = new HashMap<>();
    inclusive.forEach((k, v) -> {
      if (k.startsWith("#")) {
        methods.put(k.substring(1), v);
      }
    });
    return methods;
  }

  private static String top(Map<String, Double> values, double total, int limit) {
    return values.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(limit)
        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100 * e.getValue() / total))
        .collect(Collectors.joining(", "));
  }
}
