package io.vk4j.eci.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Renders a group with the field names of DescribeContainerGroups and DescribeContainerGroupStatus. */
final class GroupJson {

  private GroupJson() {}

  /** A group as DescribeContainerGroups lists it, with its newest {@code maxEvents} events. */
  static Map<String, Object> describe(ContainerGroup g, int maxEvents) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ContainerGroupId", g.id);
    m.put("ContainerGroupName", g.spec.name);
    m.put("RegionId", g.regionId);
    m.put("ZoneId", g.zoneId);
    m.put("VSwitchId", g.vSwitchId);
    m.put("SecurityGroupId", g.spec.securityGroupId.orElse(""));
    m.put("Status", g.status);
    m.put("IntranetIp", g.intranetIp == null ? "" : g.intranetIp);
    m.put("InternetIp", "");
    m.put("RestartPolicy", g.restartPolicy);
    m.put("InstanceType", g.spec.instanceType.orElse(""));
    m.put("Cpu", g.cpu);
    m.put("Memory", g.memory);
    m.put("CreationTime", Times.format(g.creationTime));
    if (g.succeededTime != null) {
      m.put("SucceededTime", Times.format(g.succeededTime));
    }
    if (g.failedTime != null) {
      m.put("FailedTime", Times.format(g.failedTime));
    }
    if (g.expiredTime != null) {
      m.put("ExpiredTime", Times.format(g.expiredTime));
    }
    m.put("SpotStrategy", g.spec.raw.string("SpotStrategy").orElse("NoSpot"));
    g.spec.raw.string("SpotPriceLimit").ifPresent(v -> m.put("SpotPriceLimit", Double.parseDouble(v)));
    g.spec.raw.string("RamRoleName").ifPresent(v -> m.put("RamRoleName", v));
    g.spec.raw.string("ResourceGroupId").ifPresent(v -> m.put("ResourceGroupId", v));
    m.put("Tags", tags(g.tags));
    m.put("Events", events(g, maxEvents));
    m.put("Containers", containers(g.containers));
    m.put("InitContainers", containers(g.initContainers));
    m.put("Volumes", g.spec.volumes);
    m.put("DnsConfig", g.spec.dnsConfig);
    m.put("HostAliases", g.spec.hostAliases);
    return m;
  }

  static List<Map<String, Object>> tags(Map<String, String> tags) {
    List<Map<String, Object>> list = new ArrayList<>();
    tags.forEach((k, v) -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("Key", k);
      t.put("Value", v);
      list.add(t);
    });
    return list;
  }

  private static List<Map<String, Object>> events(ContainerGroup g, int max) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ContainerGroup.Event e : g.events.subList(Math.max(0, g.events.size() - max), g.events.size())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Count", e.count);
      m.put("Type", e.type);
      m.put("Name", e.name);
      m.put("Message", e.message);
      m.put("FirstTimestamp", Times.format(e.first));
      m.put("LastTimestamp", Times.format(e.last));
      m.put("Reason", e.reason);
      list.add(m);
    }
    return list;
  }

  private static List<Map<String, Object>> containers(List<ContainerRuntime> runtimes) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ContainerRuntime c : runtimes) {
      ContainerSpec s = c.spec;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", s.name);
      m.put("Image", s.image);
      m.put("Cpu", s.cpu.orElse(0));
      m.put("Memory", s.memory.orElse(0));
      s.raw.integer("Gpu").ifPresent(gpu -> m.put("Gpu", gpu));
      m.put("WorkingDir", s.workingDir.orElse(""));
      m.put("ImagePullPolicy", s.imagePullPolicy.orElse("IfNotPresent"));
      m.put("Commands", s.commands);
      m.put("Args", s.args);
      List<Map<String, Object>> env = new ArrayList<>();
      s.env.forEach((k, v) -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Key", k);
        e.put("Value", v);
        env.add(e);
      });
      s.fieldRefs.forEach((k, path) -> {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("Key", k);
        e.put("ValueFrom", Map.of("FieldRef", Map.of("FieldPath", path)));
        env.add(e);
      });
      m.put("EnvironmentVars", env);
      m.put("Ports", s.ports);
      m.put("VolumeMounts", s.volumeMounts);
      probe(s.raw.object("ReadinessProbe")).ifPresent(p -> m.put("ReadinessProbe", p));
      probe(s.raw.object("LivenessProbe")).ifPresent(p -> m.put("LivenessProbe", p));
      probe(s.raw.object("StartupProbe")).ifPresent(p -> m.put("StartupProbe", p));
      FlatParams security = s.raw.object("SecurityContext");
      if (!security.isEmpty()) {
        Map<String, Object> sc = new LinkedHashMap<>();
        security.integer("RunAsUser").ifPresent(u -> sc.put("RunAsUser", u));
        security.bool("ReadOnlyRootFilesystem").ifPresent(r -> sc.put("ReadOnlyRootFilesystem", r));
        sc.put("Capability", Map.of("Adds", security.object("Capability").strings("Add")));
        m.put("SecurityContext", sc);
      }
      m.put("Ready", c.ready);
      m.put("RestartCount", c.restartCount);
      m.put("CurrentState", c.current.toJson());
      if (c.previous != null) {
        m.put("PreviousState", c.previous.toJson());
      } else {
        m.put("PreviousState", Map.of());
      }
      list.add(m);
    }
    return list;
  }

  private static Optional<Map<String, Object>> probe(FlatParams p) {
    if (p.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (String field : List.of("InitialDelaySeconds", "PeriodSeconds", "TimeoutSeconds", "SuccessThreshold", "FailureThreshold")) {
      p.integer(field).ifPresent(v -> m.put(field, v));
    }
    List<String> exec = p.object("Exec").strings("Command");
    if (!exec.isEmpty()) {
      m.put("Execs", exec);
    }
    FlatParams http = p.object("HttpGet");
    if (!http.isEmpty()) {
      Map<String, Object> h = new LinkedHashMap<>();
      http.string("Path").ifPresent(v -> h.put("Path", v));
      http.integer("Port").ifPresent(v -> h.put("Port", v));
      http.string("Scheme").ifPresent(v -> h.put("Scheme", v));
      m.put("HttpGet", h);
    }
    FlatParams tcp = p.object("TcpSocket");
    if (!tcp.isEmpty()) {
      Map<String, Object> t = new LinkedHashMap<>();
      tcp.string("Host").ifPresent(v -> t.put("Host", v));
      tcp.integer("Port").ifPresent(v -> t.put("Port", v));
      m.put("TcpSocket", t);
    }
    return Optional.of(m);
  }

  /**
   * One item of DescribeContainerGroupStatus, in the shape of the SDK's model: the pod-like status under
   * {@code PodStatus}, condition keys in lower case, no tags, region or zone, and the running state's start
   * time under the model's own key {@code StartedAtstartedAt}.
   */
  static Map<String, Object> status(ContainerGroup g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ContainerGroupId", g.id);
    m.put("Name", g.spec.name);
    m.put("Namespace", "default");
    m.put("Status", g.status);
    m.put("uuid", UUID.nameUUIDFromBytes(g.id.getBytes(StandardCharsets.UTF_8)).toString());
    m.put("Annotations", "{}");
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Phase", phase(g.status));
    if (g.intranetIp != null) {
      s.put("PodIp", g.intranetIp);
      s.put("PodIps", List.of(Map.of("Ip", g.intranetIp)));
      s.put("HostIp", g.intranetIp);
    }
    s.put("StartTime", Times.format(g.creationTime));
    s.put("QosClass", "Guaranteed");
    boolean allReady = !g.containers.isEmpty() && g.containers.stream().allMatch(c -> c.ready);
    boolean scheduled = !g.status.equals("Scheduling") && !g.status.equals("ScheduleFailed");
    boolean initialized = g.initContainers.stream().allMatch(ContainerRuntime::terminated);
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", scheduled, g.statusChangedAt));
    conditions.add(condition("Initialized", initialized, g.statusChangedAt));
    conditions.add(condition("ContainersReady", allReady, g.statusChangedAt));
    conditions.add(condition("Ready", allReady, g.statusChangedAt));
    s.put("Conditions", conditions);
    s.put("ContainerStatuses", containerStatuses(g));
    m.put("PodStatus", s);
    return m;
  }

  private static String phase(String status) {
    return switch (status) {
      case "Running", "Restarting", "Updating", "Terminating" -> "Running";
      case "Succeeded" -> "Succeeded";
      case "Failed", "ScheduleFailed", "Expired" -> "Failed";
      default -> "Pending";
    };
  }

  private static Map<String, Object> condition(String type, boolean status, Instant at) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status ? "True" : "False");
    c.put("lastTransitionTime", Times.format(at));
    return c;
  }

  private static List<Map<String, Object>> containerStatuses(ContainerGroup g) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ContainerRuntime c : g.containers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", c.spec.name);
      m.put("Image", c.spec.image);
      m.put("ImageID", c.spec.image);
      m.put("Ready", c.ready);
      m.put("Started", c.current.state.equals("Running"));
      m.put("RestartCount", c.restartCount);
      m.put("State", kubeState(g, c, c.current));
      m.put("LastState", c.previous == null ? Map.of() : kubeState(g, c, c.previous));
      list.add(m);
    }
    return list;
  }

  private static Map<String, Object> kubeState(ContainerGroup g, ContainerRuntime c, ContainerRuntime.State st) {
    Map<String, Object> inner = new LinkedHashMap<>();
    switch (st.state) {
      case "Running" -> {
        inner.put("StartedAtstartedAt", Times.format(st.startTime));
        return Map.of("Running", inner);
      }
      case "Terminated" -> {
        inner.put("ContainerID", "containerd://" + g.id + "-" + c.spec.name);
        inner.put("ExitCode", st.exitCode);
        inner.put("Reason", st.reason);
        if (st.message != null) {
          inner.put("Message", st.message);
        }
        inner.put("Signal", 0);
        inner.put("StartedAt", Times.format(st.startTime));
        inner.put("FinishedAt", Times.format(st.finishTime));
        return Map.of("Terminated", inner);
      }
      default -> {
        inner.put("Reason", st.reason == null ? "ContainerCreating" : st.reason);
        if (st.message != null) {
          inner.put("Message", st.message);
        }
        return Map.of("Waiting", inner);
      }
    }
  }
}
