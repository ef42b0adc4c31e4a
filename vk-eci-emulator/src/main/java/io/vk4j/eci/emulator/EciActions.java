package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableSet;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The ECI actions the emulator serves, each answering a JSON object without its RequestId. */
final class EciActions {

  static final String VERSION = "2018-08-08";
  static final int MAX_IDS = 20;

  /** Parameters the gateway consumes; they are not part of what a group was asked to be. */
  static final Set<String> COMMON_PARAMETERS = ImmutableSet.of(
      "Action", "Format", "Version", "Timestamp", "SignatureNonce", "Signature", "SignatureMethod",
      "SignatureVersion", "AccessKeyId", "SecurityToken", "SignatureType", "BearerToken");

  static final Set<String> ACTIONS = ImmutableSet.of(
      "CreateContainerGroup", "DescribeContainerGroups", "DescribeContainerGroupStatus", "DeleteContainerGroup",
      "UpdateContainerGroup", "RestartContainerGroup", "DescribeContainerLog", "ExecContainerCommand",
      "DescribeContainerGroupMetric", "DescribeMultiContainerGroupMetric", "DescribeRegions");

  /** Events DescribeContainerGroups returns per group, the newest ones. */
  static final int MAX_EVENTS_PER_GROUP = 50;
  /** Parameters UpdateContainerGroup can change; a RenewUpdate replaces all of them. */
  static final Set<String> UPDATABLE = ImmutableSet.of("Container", "InitContainer", "Volume", "ImageRegistryCredential",
      "AcrRegistryInfo", "DnsConfig", "Tag", "Cpu", "Memory", "RestartPolicy", "ResourceGroupId");

  private final ContainerGroupStore store;
  private final Set<AccountFeature> features;
  private final ExecSessions execSessions;

  EciActions(ContainerGroupStore store, Set<AccountFeature> features, ExecSessions execSessions) {
    this.store = store;
    this.features = ImmutableSet.copyOf(features);
    this.execSessions = execSessions;
  }

  Map<String, Object> call(String action, Map<String, String> rawParams) {
    Map<String, String> params = new TreeMap<>(rawParams);
    params.keySet().removeAll(COMMON_PARAMETERS);
    FlatParams p = FlatParams.of(params);
    if (!action.equals("DescribeRegions")) {
      checkRegion(p);
    }
    return switch (action) {
      case "CreateContainerGroup" -> create(params);
      case "DescribeContainerGroups" -> describeGroups(p);
      case "DescribeContainerGroupStatus" -> describeStatus(p);
      case "DeleteContainerGroup" -> delete(p);
      case "UpdateContainerGroup" -> update(p, params);
      case "RestartContainerGroup" -> restart(p);
      case "DescribeContainerLog" -> ContainerLogs.describe(store, p);
      case "ExecContainerCommand" -> ContainerCommands.exec(store, execSessions, p);
      case "DescribeContainerGroupMetric" -> Metrics.groupMetric(store, p);
      case "DescribeMultiContainerGroupMetric" -> Metrics.multiGroupMetric(store, p);
      case "DescribeRegions" -> regions();
      default -> throw new ApiException(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    };
  }

  /** What a listing action answers when it lists nothing. */
  static Map<String, Object> emptyList(String action) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("TotalCount", 0);
    out.put("NextToken", "");
    out.put(action.equals("DescribeContainerGroupStatus") ? "Data" : "ContainerGroups", List.of());
    return out;
  }

  private void checkRegion(FlatParams p) {
    String region = p.required("RegionId");
    if (!region.equals(store.regionId())) {
      throw new ApiException(400, "InvalidRegionId", "The specified region " + region + " is not served here; this endpoint serves " + store.regionId() + ".");
    }
  }

  private Map<String, Object> create(Map<String, String> params) {
    GroupSpec spec = GroupSpec.parse(params);
    CreateLimits.check(spec, features);
    if (spec.raw.bool("DryRun").orElse(false)) {
      throw new ApiException(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.");
    }
    String id = store.create(spec);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ContainerGroupId", id);
    return out;
  }

  private Map<String, Object> describeGroups(FlatParams p) {
    int limit = p.integer("Limit").orElse(20);
    if (limit < 1 || limit > 20) {
      throw ApiException.invalidParameter("Limit", "must be 1..20: " + limit);
    }
    boolean withEvent = p.bool("WithEvent").orElse(false);
    Predicate<ContainerGroup> filter = commonFilter(p);
    Optional<String> name = p.string("ContainerGroupName");
    Optional<String> status = p.string("Status");
    Predicate<ContainerGroup> full = g -> filter.test(g)
        && name.map(n -> n.equals(g.spec.name)).orElse(true)
        && status.map(s -> s.equals(g.status)).orElse(true);
    return store.locked(() -> {
      List<ContainerGroup> matching = store.list(full, afterSequence(p));
      List<Map<String, Object>> page = new ArrayList<>();
      for (ContainerGroup g : matching.subList(0, Math.min(limit, matching.size()))) {
        page.add(GroupJson.describe(g, withEvent ? MAX_EVENTS_PER_GROUP : 0));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("TotalCount", matching.size());
      out.put("NextToken", matching.size() > limit ? token(matching.get(limit - 1)) : "");
      out.put("ContainerGroups", page);
      return out;
    });
  }

  private Map<String, Object> describeStatus(FlatParams p) {
    int limit = p.integer("Limit").orElse(200);
    if (limit < 1 || limit > 200) {
      throw ApiException.invalidParameter("Limit", "must be 1..200: " + limit);
    }
    Predicate<ContainerGroup> filter = commonFilter(p);
    Optional<Instant> since = Optional.empty();
    if (p.integer("SinceSecond").isPresent()) {
      int seconds = p.integer("SinceSecond").getAsInt();
      if (seconds < 1) {
        throw ApiException.invalidParameter("SinceSecond", "must be positive: " + seconds);
      }
      since = Optional.of(store.now().minusSeconds(seconds));
    }
    Optional<Instant> changedSince = since;
    Predicate<ContainerGroup> full = g -> filter.test(g) && changedSince.map(t -> !g.statusChangedAt.isBefore(t)).orElse(true);
    return store.locked(() -> {
      List<ContainerGroup> matching = store.list(full, afterSequence(p));
      List<Map<String, Object>> data = new ArrayList<>();
      for (ContainerGroup g : matching.subList(0, Math.min(limit, matching.size()))) {
        data.add(GroupJson.status(g));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("TotalCount", matching.size());
      out.put("NextToken", matching.size() > limit ? token(matching.get(limit - 1)) : "");
      out.put("Data", data);
      return out;
    });
  }

  /** The filters DescribeContainerGroups and DescribeContainerGroupStatus share. */
  private static Predicate<ContainerGroup> commonFilter(FlatParams p) {
    Optional<Set<String>> ids = p.string("ContainerGroupIds").map(EciActions::parseIds);
    Map<String, String> tags = new LinkedHashMap<>();
    for (FlatParams tag : p.list("Tag")) {
      tags.put(tag.required("Key"), tag.string("Value").orElse(""));
    }
    if (tags.size() > GroupSpec.MAX_TAGS) {
      throw ApiException.invalidParameter("Tag", "at most " + GroupSpec.MAX_TAGS + " tags");
    }
    Optional<String> zone = p.string("ZoneId");
    Optional<String> vSwitch = p.string("VSwitchId");
    Optional<String> resourceGroup = p.string("ResourceGroupId");
    return g -> ids.map(set -> set.contains(g.id)).orElse(true)
        && zone.map(z -> z.equals(g.zoneId)).orElse(true)
        && vSwitch.map(v -> v.equals(g.vSwitchId)).orElse(true)
        && resourceGroup.map(r -> r.equals(g.spec.raw.string("ResourceGroupId").orElse(""))).orElse(true)
        && tags.entrySet().stream().allMatch(t -> g.tags.containsKey(t.getKey())
            && (t.getValue().isEmpty() || t.getValue().equals(g.tags.get(t.getKey()))));
  }

  static Set<String> parseIds(String json) {
    Set<String> ids = new LinkedHashSet<>();
    try {
      JsonElement element = JsonParser.parseString(json);
      if (!element.isJsonArray()) {
        throw new IllegalArgumentException("not a JSON array");
      }
      JsonArray array = element.getAsJsonArray();
      for (JsonElement id : array) {
        if (!id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException("ids must be strings");
        }
        ids.add(id.getAsString());
      }
    } catch (RuntimeException e) {
      throw ApiException.invalidParameter("ContainerGroupIds", "must be a JSON array of strings such as [\"eci-1\",\"eci-2\"]: " + e.getMessage());
    }
    if (ids.size() > MAX_IDS) {
      throw ApiException.invalidParameter("ContainerGroupIds", "at most " + MAX_IDS + " ids, got " + ids.size());
    }
    return ids;
  }

  private static String token(ContainerGroup last) {
    return "t" + last.sequence;
  }

  private static long afterSequence(FlatParams p) {
    Optional<String> token = p.string("NextToken");
    if (token.isEmpty()) {
      return 0;
    }
    try {
      if (!token.get().startsWith("t")) {
        throw new NumberFormatException();
      }
      return Long.parseLong(token.get().substring(1));
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter("NextToken", "not a token this endpoint returned: " + token.get());
    }
  }

  private Map<String, Object> delete(FlatParams p) {
    store.delete(p.required("ContainerGroupId"), p.bool("Force").orElse(false));
    return new LinkedHashMap<>();
  }

  private Map<String, Object> restart(FlatParams p) {
    store.restart(p.required("ContainerGroupId"));
    return new LinkedHashMap<>();
  }

  /**
   * {@code IncrementalUpdate} replaces what the request names and keeps the rest; {@code RenewUpdate} (the
   * default) is a full update: every updatable parameter the request does not name is cleared, registry
   * credentials included.
   */
  private Map<String, Object> update(FlatParams p, Map<String, String> params) {
    String id = p.required("ContainerGroupId");
    String updateType = p.string("UpdateType").orElse("RenewUpdate");
    if (!List.of("RenewUpdate", "IncrementalUpdate").contains(updateType)) {
      throw ApiException.invalidParameter("UpdateType", "must be RenewUpdate or IncrementalUpdate: " + updateType);
    }
    Set<String> control = Set.of("ContainerGroupId", "UpdateType", "ClientToken", "RegionId");
    store.locked(() -> {
      ContainerGroup group = store.get(id);
      Map<String, String> merged = new TreeMap<>(group.spec.parameters);
      Set<String> replaced = new LinkedHashSet<>(updateType.equals("RenewUpdate") ? UPDATABLE : Set.of());
      params.keySet().stream().filter(key -> !control.contains(key)).forEach(key -> replaced.add(topLevel(key)));
      merged.keySet().removeIf(key -> replaced.contains(topLevel(key)));
      params.forEach((key, value) -> {
        if (!control.contains(key)) {
          merged.put(key, value);
        }
      });
      GroupSpec spec = GroupSpec.parse(merged);
      CreateLimits.check(spec, features);
      store.update(id, spec);
      return null;
    });
    return new LinkedHashMap<>();
  }

  private static String topLevel(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }

  private Map<String, Object> regions() {
    Set<String> zones = store.zones();
    Map<String, Object> region = new LinkedHashMap<>();
    region.put("RegionId", store.regionId());
    region.put("RegionEndpoint", "eci." + store.regionId() + ".aliyuncs.com");
    region.put("Zones", new ArrayList<>(zones));
    region.put("RecommendZones", new ArrayList<>(zones));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Regions", List.of(region));
    return out;
  }
}
