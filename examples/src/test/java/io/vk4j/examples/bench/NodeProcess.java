package io.vk4j.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A process the benchmark started (a node's JVM, the ECI emulator), measured from the outside as an
 * operator would: CPU time and memory from {@code /proc}, live heap from {@code jcmd}. Its output goes
 * to a log file.
 */
final class NodeProcess implements AutoCloseable {
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
  private static final Pattern HEAP_COMMITTED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final double CLOCK_TICKS = clockTicks();

  private final String name;
  private final Process process;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static NodeProcess start(String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new NodeProcess(name, builder.start(), log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** utime + stime of the whole process (every thread, ended ones included), in seconds. */
  double cpuSeconds() throws IOException {
    return cpuSecondsOf(pid());
  }

  /** utime + stime of any process of this machine, in seconds. */
  static double cpuSecondsOf(long pid) throws IOException {
    return cpuOf(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /**
   * CPU seconds of the live threads, by thread name with numbers and node names folded
   * ({@code vk-3-pod-worker-7} becomes {@code <node>-pod-worker-#}), so that JIT, GC and the
   * runtime's own threads can be told apart. The kernel keeps 15 characters of each name.
   */
  Map<String, Double> cpuByThread(List<String> nodeNames) throws IOException {
    Map<String, Double> byName = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid()), "task");
    List<Path> threads;
    try (Stream<Path> list = Files.list(tasks)) {
      threads = list.toList();
    }
    for (Path thread : threads) {
      try {
        String comm = Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).strip();
        byName.merge(threadGroup(comm, nodeNames), cpuOf(thread.resolve("stat")), Double::sum);
      } catch (NoSuchFileException e) {
        // the thread ended meanwhile; its time stays in the process total
      }
    }
    return byName;
  }

  static String threadGroup(String comm, List<String> nodeNames) {
    String group = comm;
    for (String node : nodeNames) {
      if (group.startsWith(node + "-")) {
        group = "<node>" + group.substring(node.length());
        break;
      }
    }
    return group.replaceAll("\\d+", "#");
  }

  /** Peak resident set size (VmHWM), in bytes. */
  long peakRssBytes() throws IOException {
    return statusField("VmHWM");
  }

  /** Resident set size now (VmRSS), in bytes. */
  long rssBytes() throws IOException {
    return statusField("VmRSS");
  }

  private long statusField(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024; // kB
      }
    }
    throw new IOException(field + " missing in /proc/" + pid() + "/status");
  }

  /**
   * The heap after a full GC: {@code jcmd GC.class_histogram} collects first and sums the live
   * objects; {@code GC.heap_info} gives the heap's committed size. The histogram's text is written
   * to {@code histogram} for the profile.
   */
  HeapReading liveHeap(Path histogram) throws IOException, InterruptedException {
    String classes = jcmd("GC.class_histogram");
    Files.writeString(histogram, classes);
    Matcher total = HISTOGRAM_TOTAL.matcher(classes);
    if (!total.find()) {
      throw new IOException("no Total line in the class histogram of " + name + ": " + head(classes));
    }
    long live = Long.parseLong(total.group(2));
    long committed = 0;
    Matcher heap = HEAP_COMMITTED.matcher(jcmd("GC.heap_info"));
    while (heap.find()) { // one line per generation (or one for G1's whole heap)
      committed += Long.parseLong(heap.group(1)) * 1024;
    }
    return new HeapReading(live, committed);
  }

  record HeapReading(long liveBytes, long committedBytes) {}

  /**
   * The JVM's own counters, read by {@code jstat} from its performance data file (no attach, no
   * work in the process): classes loaded, JIT compilations and their time, collections and their time.
   */
  Map<String, Double> jvmCounters() throws IOException, InterruptedException {
    Map<String, Double> counters = new TreeMap<>();
    Map<String, String> classes = jstat("-class");
    counters.put("classes loaded", Double.parseDouble(classes.get("Loaded")));
    Map<String, String> compiler = jstat("-compiler");
    counters.put("JIT compilations", Double.parseDouble(compiler.get("Compiled")));
    counters.put("JIT time s", Double.parseDouble(compiler.get("Time")));
    Map<String, String> gc = jstat("-gcutil");
    counters.put("young GCs", Double.parseDouble(gc.get("YGC")));
    counters.put("young GC s", Double.parseDouble(gc.get("YGCT")));
    counters.put("full GCs", Double.parseDouble(gc.get("FGC")));
    counters.put("full GC s", Double.parseDouble(gc.get("FGCT")));
    return counters;
  }

  /** {@code jstat OPTION PID}: its header's names and the values under them. */
  private Map<String, String> jstat(String option) throws IOException, InterruptedException {
    Process jstat = new ProcessBuilder("jstat", option, Long.toString(pid())).redirectErrorStream(true).start();
    String out = new String(jstat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jstat.waitFor(1, TimeUnit.MINUTES) || jstat.exitValue() != 0) {
      throw new IOException("jstat " + option + " failed for " + name + ": " + head(out));
    }
    String[] lines = out.strip().split("\n");
    String[] names = lines[0].trim().split("\s+");
    String[] values = lines[lines.length - 1].trim().split("\s+");
    Map<String, String> result = new TreeMap<>();
    for (int i = 0; i < Math.min(names.length, values.length); i++) {
      result.putIfAbsent(names[i], values[i]); // -class repeats "Bytes": the first is the loaded classes'
    }
    return result;
  }

  /** Runs a diagnostic command in the process and writes its answer to {@code file}. */
  void jcmd(String command, Path file) throws IOException, InterruptedException {
    Files.writeString(file, jcmd(command));
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(pid())));
    line.addAll(List.of(command.split(" ")));
    Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed for " + name + ": " + head(out));
    }
    return out;
  }

  private static String head(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** Asks the process to stop (SIGTERM) and waits for it; kills it when it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until {@code text} appears in the log, or the process ends, or time runs out. */
  boolean awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
      Thread.sleep(100);
    }
    return Files.readString(log, StandardCharsets.UTF_8).contains(text);
  }

  /** Fields 14 and 15 of a {@code stat} file; the name in parentheses may hold spaces. */
  private static double cpuOf(Path stat) throws IOException {
    String text = Files.readString(stat, StandardCharsets.UTF_8);
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
  }

  private static double clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      getconf.waitFor(10, TimeUnit.SECONDS);
      return Double.parseDouble(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // Linux's USER_HZ nearly everywhere
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  /** Busy and total jiffies of the whole machine (first line of {@code /proc/stat}). */
  static long[] machineJiffies() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    String[] f = cpu.trim().split("\\s+");
    long total = 0;
    List<Long> values = new ArrayList<>();
    for (int i = 1; i < f.length; i++) {
      values.add(Long.parseLong(f[i]));
      total += Long.parseLong(f[i]);
    }
    long idle = values.get(3) + (values.size() > 4 ? values.get(4) : 0); // idle + iowait
    return new long[] {total - idle, total};
  }

  /** The 1-minute load average. */
  static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }
}
