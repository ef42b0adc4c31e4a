package io.vk4j.eci.emulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's container groups as a JSON file, so a standalone emulator that is stopped and started again
 * (a new process) finds its groups: what each group was asked to be (its create parameters) and where its
 * lifecycle stands. Container logs are not kept.
 */
final class StateFile {

  private static final int FORMAT = 1;

  private StateFile() {}

  static void save(Path file, long sequence, List<ContainerGroup> groups) throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.addProperty("sequence", sequence);
    JsonArray list = new JsonArray();
    for (ContainerGroup g : groups) {
      list.add(group(g));
    }
    root.add("groups", list);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Json.GSON.toJson(root), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonObject group(ContainerGroup g) {
    JsonObject o = new JsonObject();
    o.addProperty("id", g.id);
    o.addProperty("sequence", g.sequence);
    o.addProperty("regionId", g.regionId);
    o.addProperty("zoneId", g.zoneId);
    o.addProperty("vSwitchId", g.vSwitchId);
    o.addProperty("creationTime", g.creationTime.toString());
    o.add("parameters", Json.GSON.toJsonTree(g.spec.parameters));
    o.addProperty("status", g.status);
    o.addProperty("statusChangedAt", g.statusChangedAt.toString());
    o.addProperty("intranetIp", g.intranetIp);
    o.addProperty("succeededTime", text(g.succeededTime));
    o.addProperty("failedTime", text(g.failedTime));
    o.addProperty("expiredTime", text(g.expiredTime));
    o.addProperty("terminalAt", text(g.terminalAt));
    o.addProperty("nextStep", g.nextStep.name());
    o.addProperty("nextStepAt", text(g.nextStepAt));
    o.addProperty("scheduleFailureReason", g.scheduleFailureReason);
    JsonArray containers = new JsonArray();
    for (ContainerRuntime c : g.allContainers()) {
      JsonObject co = new JsonObject();
      co.addProperty("name", c.spec.name);
      co.add("current", state(c.current));
      if (c.previous != null) {
        co.add("previous", state(c.previous));
      }
      co.addProperty("restartCount", c.restartCount);
      co.addProperty("ready", c.ready);
      co.addProperty("exitAt", text(c.exitAt));
      containers.add(co);
    }
    o.add("containers", containers);
    JsonArray events = new JsonArray();
    for (ContainerGroup.Event e : g.events) {
      JsonObject eo = new JsonObject();
      eo.addProperty("type", e.type);
      eo.addProperty("name", e.name);
      eo.addProperty("reason", e.reason);
      eo.addProperty("message", e.message);
      eo.addProperty("first", e.first.toString());
      eo.addProperty("last", e.last.toString());
      eo.addProperty("count", e.count);
      events.add(eo);
    }
    o.add("events", events);
    return o;
  }

  private static JsonObject state(ContainerRuntime.State s) {
    JsonObject o = new JsonObject();
    o.addProperty("state", s.state);
    o.addProperty("detailStatus", s.detailStatus);
    o.addProperty("startTime", text(s.startTime));
    o.addProperty("finishTime", text(s.finishTime));
    o.addProperty("exitCode", s.exitCode);
    o.addProperty("reason", s.reason);
    o.addProperty("message", s.message);
    return o;
  }

  /** The groups and the sequence counter read back; the caller re-reserves their IPs and tokens. */
  record Loaded(long sequence, List<ContainerGroup> groups) {}

  static Loaded load(Path file) throws IOException {
    JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    if (root.get("format").getAsInt() != FORMAT) {
      throw new IOException("state file " + file + " has format " + root.get("format") + ", this emulator reads " + FORMAT);
    }
    List<ContainerGroup> groups = new ArrayList<>();
    for (JsonElement element : root.getAsJsonArray("groups")) {
      groups.add(group(element.getAsJsonObject()));
    }
    return new Loaded(root.get("sequence").getAsLong(), groups);
  }

  private static ContainerGroup group(JsonObject o) {
    Map<String, String> parameters = new LinkedHashMap<>();
    o.getAsJsonObject("parameters").entrySet().forEach(e -> parameters.put(e.getKey(), e.getValue().getAsString()));
    ContainerGroup g = new ContainerGroup(o.get("id").getAsString(), o.get("sequence").getAsLong(), o.get("regionId").getAsString(),
        o.get("zoneId").getAsString(), o.get("vSwitchId").getAsString(), GroupSpec.parse(parameters), Instant.parse(o.get("creationTime").getAsString()));
    g.status = o.get("status").getAsString();
    g.statusChangedAt = Instant.parse(o.get("statusChangedAt").getAsString());
    g.intranetIp = string(o, "intranetIp");
    g.succeededTime = instant(o, "succeededTime");
    g.failedTime = instant(o, "failedTime");
    g.expiredTime = instant(o, "expiredTime");
    g.terminalAt = instant(o, "terminalAt");
    g.nextStep = ContainerGroup.Step.valueOf(o.get("nextStep").getAsString());
    g.nextStepAt = instant(o, "nextStepAt");
    g.scheduleFailureReason = string(o, "scheduleFailureReason");
    for (JsonElement element : o.getAsJsonArray("containers")) {
      JsonObject co = element.getAsJsonObject();
      ContainerRuntime c = g.container(co.get("name").getAsString());
      if (c == null) {
        continue;
      }
      c.current = state(co.getAsJsonObject("current"));
      c.previous = co.has("previous") ? state(co.getAsJsonObject("previous")) : null;
      c.restartCount = co.get("restartCount").getAsInt();
      c.ready = co.get("ready").getAsBoolean();
      c.exitAt = instant(co, "exitAt");
    }
    for (JsonElement element : o.getAsJsonArray("events")) {
      JsonObject eo = element.getAsJsonObject();
      ContainerGroup.Event e = new ContainerGroup.Event(eo.get("type").getAsString(), eo.get("name").getAsString(),
          eo.get("reason").getAsString(), eo.get("message").getAsString(), Instant.parse(eo.get("first").getAsString()));
      e.last = Instant.parse(eo.get("last").getAsString());
      e.count = eo.get("count").getAsInt();
      g.events.add(e);
    }
    g.eventSequence = g.events.size();
    return g;
  }

  private static ContainerRuntime.State state(JsonObject o) {
    return new ContainerRuntime.State(o.get("state").getAsString(), string(o, "detailStatus"), instant(o, "startTime"),
        instant(o, "finishTime"), o.has("exitCode") && !o.get("exitCode").isJsonNull() ? o.get("exitCode").getAsInt() : null,
        string(o, "reason"), string(o, "message"));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static Instant instant(JsonObject o, String name) {
    String s = string(o, name);
    return s == null ? null : Instant.parse(s);
  }
}
