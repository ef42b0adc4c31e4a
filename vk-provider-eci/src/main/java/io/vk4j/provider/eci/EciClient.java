package io.vk4j.provider.eci;

import com.google.common.collect.Lists;
import com.google.gson.Gson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The typed ECI API the provider uses: ten actions of ECI 2018-08-08, each turned into plain
 * parameters and parsed back into small value types. Every request goes through the given
 * transport (rate limited and retried).
 */
final class EciClient {
  /** ECI accepts at most 20 ids per {@code ContainerGroupIds}. */
  static final int IDS_PER_CALL = 20;
  /** {@code DescribeContainerGroups} returns at most 20 groups per page. */
  static final int GROUPS_PER_PAGE = 20;
  /** {@code DescribeContainerGroupStatus} returns at most 200 per page. */
  static final int STATUS_PER_PAGE = 200;

  private static final Gson GSON = new Gson();

  private final EciTransport transport;
  private final Duration readTimeout;

  EciClient(EciTransport transport, Duration readTimeout) {
    this.transport = transport;
    this.readTimeout = readTimeout;
  }

  /** {@code CreateContainerGroup}; returns the group id. Idempotent per {@code ClientToken}. */
  String createContainerGroup(Map<String, String> params) throws EciApiException {
    Map<String, Object> response = transport.call("CreateContainerGroup", params, readTimeout);
    return Json.string(response, "ContainerGroupId").orElseThrow(() ->
        new EciApiException("InvalidResponse", 200, "CreateContainerGroup returned no ContainerGroupId", null, null));
  }

  /**
   * {@code CreateContainerGroup} with {@code DryRun=true}: ECI checks the request, the caller's permissions
   * included, and creates nothing; passing, it answers {@code DryRunOperation}.
   */
  void dryRunCreate(Map<String, String> params) throws EciApiException {
    Map<String, String> request = new LinkedHashMap<>(params);
    request.put("DryRun", "true");
    try {
      transport.call("CreateContainerGroup", request, readTimeout);
    } catch (EciApiException e) {
      if (!e.code().equals("DryRunOperation")) {
        throw e;
      }
    }
  }

  /**
   * {@code UpdateContainerGroup} with {@code UpdateType=IncrementalUpdate}: what {@code params} names (whole
   * lists: every container, every credential) replaces the group's, the rest stays. The default, RenewUpdate,
   * would clear every updatable parameter not sent, volumes and registry credentials included.
   */
  void updateContainerGroup(String groupId, Map<String, String> params) throws EciApiException {
    Map<String, String> request = new LinkedHashMap<>(params);
    request.put("ContainerGroupId", groupId);
    request.put("UpdateType", "IncrementalUpdate");
    transport.call("UpdateContainerGroup", request, readTimeout);
  }

  /** {@code DeleteContainerGroup}; {@code force} skips the group's termination grace (a force-deleted pod). */
  void deleteContainerGroup(String groupId, boolean force) throws EciApiException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ContainerGroupId", groupId);
    if (force) {
      params.put("Force", "true");
    }
    transport.call("DeleteContainerGroup", params, readTimeout);
  }

  /** {@code DescribeContainerGroups} for these ids, 20 per call; absent ids are simply missing. */
  List<ContainerGroup> describeContainerGroups(Collection<String> ids) throws EciApiException {
    List<ContainerGroup> groups = new ArrayList<>();
    for (List<String> batch : Lists.partition(List.copyOf(ids), IDS_PER_CALL)) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("ContainerGroupIds", GSON.toJson(batch));
      params.put("Limit", Integer.toString(IDS_PER_CALL));
      groups.addAll(describePages(params));
    }
    return groups;
  }

  /** {@code DescribeContainerGroups} filtered by tags on the server, every page. */
  List<ContainerGroup> describeContainerGroupsByTags(Map<String, String> tags) throws EciApiException {
    Map<String, String> params = new LinkedHashMap<>(tagParams(tags));
    params.put("Limit", Integer.toString(GROUPS_PER_PAGE));
    return describePages(params);
  }

  private List<ContainerGroup> describePages(Map<String, String> params) throws EciApiException {
    List<ContainerGroup> groups = new ArrayList<>();
    Optional<String> nextToken = Optional.empty();
    do {
      Map<String, String> page = new LinkedHashMap<>(params);
      // ECI says whether it returns events without it only vaguely; they are needed for the pods' Events
      page.put("WithEvent", "true");
      nextToken.ifPresent(token -> page.put("NextToken", token));
      Map<String, Object> response = transport.call("DescribeContainerGroups", page, readTimeout);
      for (Map<String, Object> group : Json.objects(response, "ContainerGroups")) {
        groups.add(parseGroup(group));
      }
      nextToken = Json.string(response, "NextToken");
      if (Json.objects(response, "ContainerGroups").isEmpty()) {
        break;
      }
    } while (nextToken.isPresent());
    return groups;
  }

  /** One group id and its status, from {@code DescribeContainerGroupStatus}. */
  record StatusChange(String groupId, String status) {}

  /**
   * {@code DescribeContainerGroupStatus}: the groups with these tags whose status changed in the
   * last {@code sinceSeconds}, every page.
   */
  List<StatusChange> describeStatusChanges(Map<String, String> tags, long sinceSeconds) throws EciApiException {
    List<StatusChange> changes = new ArrayList<>();
    Optional<String> nextToken = Optional.empty();
    do {
      Map<String, String> params = new LinkedHashMap<>(tagParams(tags));
      params.put("SinceSecond", Long.toString(sinceSeconds));
      params.put("Limit", Integer.toString(STATUS_PER_PAGE));
      nextToken.ifPresent(token -> params.put("NextToken", token));
      Map<String, Object> response = transport.call("DescribeContainerGroupStatus", params, readTimeout);
      List<Map<String, Object>> data = Json.objects(response, "Data");
      for (Map<String, Object> item : data) {
        Optional<String> id = Json.string(item, "ContainerGroupId");
        id.ifPresent(groupId -> changes.add(new StatusChange(groupId, Json.string(item, "Status").orElse(""))));
      }
      nextToken = Json.string(response, "NextToken");
      if (data.isEmpty()) {
        break;
      }
    } while (nextToken.isPresent());
    return changes;
  }

  /**
   * {@code DescribeContainerLog}; returns the log text. {@code tail} and {@code limitBytes} must be within
   * ECI's bounds (1-2000 lines, 1 B-1 MiB); {@code since} is sent in UTC with whole seconds, as documented.
   */
  String describeContainerLog(String groupId, String container, int tail, Optional<Instant> since,
      OptionalLong limitBytes, boolean timestamps, boolean previous) throws EciApiException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ContainerGroupId", groupId);
    params.put("ContainerName", container);
    params.put("Tail", Integer.toString(tail));
    since.ifPresent(time -> params.put("StartTime", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS))));
    limitBytes.ifPresent(bytes -> params.put("LimitBytes", Long.toString(bytes)));
    if (timestamps) {
      params.put("Timestamps", "true");
    }
    if (previous) {
      params.put("LastTime", "true");
    }
    Map<String, Object> response = transport.call("DescribeContainerLog", params, readTimeout);
    return Json.string(response, "Content").orElse("");
  }

  /** {@code ExecContainerCommand} with {@code Sync=true}: runs a command and returns its output. */
  String execContainerCommandSync(String groupId, String container, List<String> command, Duration timeout)
      throws EciApiException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ContainerGroupId", groupId);
    params.put("ContainerName", container);
    params.put("Command", GSON.toJson(command));
    params.put("TTY", "false");
    params.put("Stdin", "false");
    params.put("Sync", "true");
    Map<String, Object> response = transport.call("ExecContainerCommand", params, timeout);
    return Json.string(response, "SyncResponse").orElse("");
  }

  /**
   * {@code ExecContainerCommand} without {@code Sync}: opens an interactive session and returns its
   * WebSocket URI, which ECI accepts for 30 s.
   */
  String execContainerCommandInteractive(String groupId, String container, List<String> command, boolean tty,
      boolean stdin) throws EciApiException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("ContainerGroupId", groupId);
    params.put("ContainerName", container);
    params.put("Command", GSON.toJson(command));
    params.put("TTY", Boolean.toString(tty));
    params.put("Stdin", Boolean.toString(stdin));
    params.put("Sync", "false");
    Map<String, Object> response = transport.call("ExecContainerCommand", params, readTimeout);
    return Json.string(response, "WebSocketUri").orElseThrow(() ->
        new EciApiException("InvalidResponse", 200, "ExecContainerCommand returned no WebSocketUri", null, null));
  }

  /** The latest usage of one group, from {@code DescribeMultiContainerGroupMetric}. */
  record GroupUsage(String groupId, Instant time, OptionalLong cpuNanoCores, OptionalLong cpuCoreNanoSeconds,
      OptionalLong memoryWorkingSetBytes, OptionalLong rxBytes, OptionalLong txBytes,
      List<ContainerUsage> containers) {}

  /** The latest usage of one container. */
  record ContainerUsage(String name, OptionalLong cpuNanoCores, OptionalLong cpuCoreNanoSeconds,
      OptionalLong memoryWorkingSetBytes) {}

  /** {@code DescribeMultiContainerGroupMetric}, 20 ids per call. */
  List<GroupUsage> describeMetrics(Collection<String> ids) throws EciApiException {
    List<GroupUsage> usages = new ArrayList<>();
    for (List<String> batch : Lists.partition(List.copyOf(ids), IDS_PER_CALL)) {
      // without MetricType=summary ECI returns no records
      Map<String, Object> response = transport.call("DescribeMultiContainerGroupMetric",
          Map.of("ContainerGroupIds", GSON.toJson(batch), "MetricType", "summary"), readTimeout);
      for (Map<String, Object> data : Json.objects(response, "MonitorDatas")) {
        List<Map<String, Object>> records = Json.objects(data, "Records");
        Optional<String> id = Json.string(data, "ContainerGroupId");
        if (records.isEmpty() || id.isEmpty()) {
          continue;
        }
        Map<String, Object> latest = records.get(records.size() - 1);
        Map<String, Object> cpu = Json.object(latest, "CPU");
        Map<String, Object> memory = Json.object(latest, "Memory");
        long rx = 0;
        long tx = 0;
        List<Map<String, Object>> interfaces = Json.objects(Json.object(latest, "Network"), "Interfaces");
        for (Map<String, Object> nic : interfaces) {
          rx += Json.longValue(nic, "RxBytes").orElse(0L);
          tx += Json.longValue(nic, "TxBytes").orElse(0L);
        }
        List<ContainerUsage> containers = Json.objects(latest, "Containers").stream()
            .map(c -> new ContainerUsage(Json.string(c, "Name").orElse(""),
                optionalLong(Json.object(c, "CPU"), "UsageNanoCores"),
                optionalLong(Json.object(c, "CPU"), "UsageCoreNanoSeconds"),
                optionalLong(Json.object(c, "Memory"), "WorkingSet")))
            .toList();
        usages.add(new GroupUsage(id.get(), Json.time(latest, "Timestamp").orElse(Instant.now()),
            optionalLong(cpu, "UsageNanoCores"), optionalLong(cpu, "UsageCoreNanoSeconds"),
            optionalLong(memory, "WorkingSet"),
            interfaces.isEmpty() ? OptionalLong.empty() : OptionalLong.of(rx),
            interfaces.isEmpty() ? OptionalLong.empty() : OptionalLong.of(tx), containers));
      }
    }
    return usages;
  }

  private static OptionalLong optionalLong(Map<String, Object> json, String key) {
    return Json.longValue(json, key).map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  static Map<String, String> tagParams(Map<String, String> tags) {
    EciParams params = new EciParams();
    params.putEach("Tag", List.copyOf(tags.entrySet()), (tag, entry) ->
        tag.put("Key", entry.getKey()).put("Value", entry.getValue()));
    return params.toMap();
  }

  static ContainerGroup parseGroup(Map<String, Object> json) {
    ContainerGroup.Builder group = ContainerGroup.builder()
        .id(Json.string(json, "ContainerGroupId").orElse(""))
        .name(Json.string(json, "ContainerGroupName").orElse(""))
        .status(Json.string(json, "Status").orElse("Unknown"))
        .intranetIp(Json.string(json, "IntranetIp"))
        .zoneId(Json.string(json, "ZoneId"))
        .vSwitchId(Json.string(json, "VSwitchId"))
        .creationTime(Json.time(json, "CreationTime"));
    for (Map<String, Object> tag : Json.objects(json, "Tags")) {
      Json.string(tag, "Key").ifPresent(key -> group.putTags(key, Json.string(tag, "Value").orElse("")));
    }
    for (Map<String, Object> event : Json.objects(json, "Events")) {
      group.addEvents(ContainerGroup.Event.builder()
          .type(Json.string(event, "Type").orElse("Normal"))
          .reason(Json.string(event, "Reason").orElse(Json.string(event, "Name").orElse("EciEvent")))
          .message(Json.string(event, "Message").orElse(""))
          .count(Json.integer(event, "Count").orElse(1))
          .firstTimestamp(Json.time(event, "FirstTimestamp"))
          .lastTimestamp(Json.time(event, "LastTimestamp"))
          .build());
    }
    Json.objects(json, "Containers").forEach(c -> group.addContainers(parseContainer(c)));
    Json.objects(json, "InitContainers").forEach(c -> group.addInitContainers(parseContainer(c)));
    return group.build();
  }

  private static ContainerGroup.Container parseContainer(Map<String, Object> json) {
    Map<String, Object> current = Json.object(json, "CurrentState");
    Map<String, Object> previous = Json.object(json, "PreviousState");
    return ContainerGroup.Container.builder()
        .name(Json.string(json, "Name").orElse(""))
        .image(Json.string(json, "Image").orElse(""))
        .ready(Json.bool(json, "Ready"))
        .restartCount(Json.integer(json, "RestartCount").orElse(0))
        .currentState(parseState(current))
        .previousState(parseState(previous))
        .build();
  }

  private static Optional<ContainerGroup.State> parseState(Map<String, Object> json) {
    Optional<String> state = Json.string(json, "State");
    if (state.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ContainerGroup.State.builder()
        .state(state.get())
        .detailStatus(Json.string(json, "DetailStatus"))
        .reason(Json.string(json, "Reason"))
        .message(Json.string(json, "Message"))
        .exitCode(Json.integer(json, "ExitCode"))
        .signal(Json.integer(json, "Signal"))
        .startTime(Json.time(json, "StartTime"))
        .finishTime(Json.time(json, "FinishTime"))
        .build());
  }
}
