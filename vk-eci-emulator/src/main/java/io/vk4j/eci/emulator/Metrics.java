package io.vk4j.eci.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeContainerGroupMetric and DescribeMultiContainerGroupMetric: plausible, deterministic numbers for
 * running groups (a function of the group, the container and the time), none for others.
 */
final class Metrics {

  private static final long GIB = 1024L * 1024 * 1024;

  private Metrics() {}

  static Map<String, Object> groupMetric(ContainerGroupStore store, FlatParams p) {
    String id = p.required("ContainerGroupId");
    int period = p.integer("Period").orElse(60);
    if (!List.of(5, 15, 60, 600, 3600).contains(period)) {
      throw ApiException.invalidParameter("Period", "must be 5, 15, 60, 600 or 3600: " + period);
    }
    Instant end = Times.parse(p, "EndTime").orElse(store.now());
    Instant start = Times.parse(p, "StartTime").orElse(end.minus(Duration.ofMinutes(5)));
    if (start.isAfter(end)) {
      throw ApiException.invalidParameter("StartTime", "is after EndTime");
    }
    return store.locked(() -> {
      ContainerGroup g = store.get(id);
      List<Map<String, Object>> records = new ArrayList<>();
      Instant runningSince = runningSince(g);
      if (runningSince != null) {
        Instant from = start.isBefore(runningSince) ? runningSince : start;
        Instant t = from.truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 1000 && !t.isAfter(end); i++, t = t.plusSeconds(period)) {
          records.add(record(g, t));
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("ContainerGroupId", id);
      out.put("Records", records);
      return out;
    });
  }

  /**
   * Records are returned only with {@code MetricType=summary}, as the API reference says; without it each
   * group is listed with no records.
   */
  static Map<String, Object> multiGroupMetric(ContainerGroupStore store, FlatParams p) {
    Set<String> ids = EciActions.parseIds(p.required("ContainerGroupIds"));
    boolean summary = p.string("MetricType").map("summary"::equals).orElse(false);
    return store.locked(() -> {
      Instant now = store.now();
      List<Map<String, Object>> data = new ArrayList<>();
      for (String id : ids) {
        store.find(id).ifPresent(g -> {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("ContainerGroupId", id);
          item.put("Records", !summary || runningSince(g) == null ? List.of() : List.of(multiRecord(g, now)));
          data.add(item);
        });
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("MonitorDatas", data);
      return out;
    });
  }

  private static Instant runningSince(ContainerGroup g) {
    if (!g.status.equals("Running")) {
      return null;
    }
    Instant earliest = null;
    for (ContainerRuntime c : g.containers) {
      if (c.current.state.equals("Running") && (earliest == null || c.current.startTime.isBefore(earliest))) {
        earliest = c.current.startTime;
      }
    }
    return earliest;
  }

  private static Map<String, Object> record(ContainerGroup g, Instant at) {
    List<Map<String, Object>> containers = new ArrayList<>();
    long totalNanoCores = 0;
    long totalWorkingSet = 0;
    long totalCoreNanoSeconds = 0;
    for (ContainerRuntime c : g.containers) {
      if (!c.current.state.equals("Running")) {
        continue;
      }
      double cores = c.spec.cpu.orElse(g.cpu / g.containers.size());
      double gib = c.spec.memory.orElse(g.memory / g.containers.size());
      double load = 0.05 + 0.1 * wave(g.id + c.spec.name, at);
      long nanoCores = Math.round(cores * 1e9 * load);
      long uptime = Math.max(0, Duration.between(c.current.startTime, at).toSeconds());
      long coreNanoSeconds = Math.round(cores * 1e9 * 0.1 * uptime);
      long workingSet = Math.round(gib * GIB * (0.2 + 0.1 * wave(c.spec.name + g.id, at)));
      totalNanoCores += nanoCores;
      totalWorkingSet += workingSet;
      totalCoreNanoSeconds += coreNanoSeconds;
      Map<String, Object> container = new LinkedHashMap<>();
      container.put("Name", c.spec.name);
      container.put("CPU", cpu(nanoCores, coreNanoSeconds, cores));
      container.put("Memory", memory(workingSet, Math.round(gib * GIB)));
      containers.add(container);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Timestamp", Times.format(at));
    r.put("CPU", cpu(totalNanoCores, totalCoreNanoSeconds, g.cpu));
    r.put("Memory", memory(totalWorkingSet, Math.round(g.memory * GIB)));
    long seconds = Math.max(0, Duration.between(g.creationTime, at).toSeconds());
    Map<String, Object> eth = new LinkedHashMap<>();
    eth.put("Name", "eth0");
    eth.put("RxBytes", seconds * 2048);
    eth.put("RxPackets", seconds * 12);
    eth.put("RxErrors", 0);
    eth.put("RxDrops", 0);
    eth.put("TxBytes", seconds * 1024);
    eth.put("TxPackets", seconds * 8);
    eth.put("TxErrors", 0);
    eth.put("TxDrops", 0);
    r.put("Network", Map.of("Interfaces", List.of(eth)));
    r.put("Containers", containers);
    return r;
  }

  /** DescribeMultiContainerGroupMetric's record: CPU load under {@code Load}, disks and file systems too. */
  private static Map<String, Object> multiRecord(ContainerGroup g, Instant at) {
    Map<String, Object> r = record(g, at);
    renameLoad(r);
    for (Object container : (List<?>) r.get("Containers")) {
      renameLoad((Map<?, ?>) container);
    }
    long seconds = Math.max(0, Duration.between(g.creationTime, at).toSeconds());
    Map<String, Object> disk = new LinkedHashMap<>();
    disk.put("Device", "vda");
    disk.put("ReadBytes", seconds * 4096);
    disk.put("WriteBytes", seconds * 8192);
    r.put("Disk", List.of(disk));
    Map<String, Object> fs = new LinkedHashMap<>();
    fs.put("FsName", "/dev/vda1");
    fs.put("Capacity", 30 * GIB);
    fs.put("Usage", GIB + seconds * 8192);
    fs.put("Available", 29 * GIB - seconds * 8192);
    r.put("Filesystem", List.of(fs));
    return r;
  }

  @SuppressWarnings("unchecked")
  private static void renameLoad(Map<?, ?> withCpu) {
    Map<String, Object> cpu = (Map<String, Object>) withCpu.get("CPU");
    cpu.put("Load", cpu.remove("Load10SecondsAverage"));
  }

  private static Map<String, Object> cpu(long nanoCores, long coreNanoSeconds, double limitCores) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("UsageNanoCores", nanoCores);
    m.put("UsageCoreNanoSeconds", coreNanoSeconds);
    m.put("Load10SecondsAverage", nanoCores / 1_000_000);
    m.put("Limit", Math.round(limitCores * 1000));
    return m;
  }

  private static Map<String, Object> memory(long workingSet, long limitBytes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("WorkingSet", workingSet);
    m.put("UsageBytes", workingSet + workingSet / 4);
    m.put("Rss", workingSet * 3 / 4);
    m.put("Cache", workingSet / 4);
    m.put("AvailableBytes", Math.max(0, limitBytes - workingSet));
    return m;
  }

  /** 0..1, smooth in time, different per key. */
  private static double wave(String key, Instant at) {
    double phase = Math.floorMod(key.hashCode(), 1000) / 1000.0 * 2 * Math.PI;
    return (Math.sin(at.getEpochSecond() / 60.0 + phase) + 1) / 2;
  }
}
