package io.vk4j.provider.eci;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.vk4j.api.AttachIO;
import io.vk4j.api.BackendPod;
import io.vk4j.api.ClusterPods;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods of one virtual node as Alibaba Cloud ECI container groups. Created by
 * {@link EciProviderFactory}; see {@code docs/eci-provider.md} for settings and behaviour.
 *
 * <p>Pod reads ({@link #getPod}) are served from a cache that a poll loop
 * keeps current ({@code StatusSync}); only creates, deletes, updates, logs, exec and stats call
 * ECI directly.
 */
public final class EciProvider
    implements Provider, PodNotifier, ContainerLogs, ContainerExec, PodStatsSource, ClusterPods {
  private static final Logger LOG = LoggerFactory.getLogger(EciProvider.class);

  private final EciSettings settings;
  private final ProviderContext context;
  private final EciClient client;
  private final EciHealth health;
  private final ApiCallCounter calls;
  private final GroupCreator creator;
  private final InteractiveExec interactive;
  private final PodRegistry registry;
  private final StatusSync sync;
  private final Clock clock;
  private volatile boolean synced;
  private volatile CachedStats stats;
  /** When a group was last created: a cached full listing older than that misses it. */
  private volatile Instant lastCreate = Instant.EPOCH;

  private record CachedStats(Instant at, List<PodStats> pods) {}

  EciProvider(EciSettings settings, ProviderContext context, EciClient client, EciHealth health,
      ApiCallCounter calls, Clock clock) {
    this.settings = settings;
    this.context = context;
    this.client = client;
    this.health = health;
    this.calls = calls;
    this.clock = clock;
    this.creator = new GroupCreator(client, new StockBackoff(settings.noStockBackoff()), context.events(), clock);
    this.interactive = new InteractiveExec(Duration.ofSeconds(10));
    this.registry = new PodRegistry(settings.terminalStatusCapacity());
    this.sync = new StatusSync(client, registry, settings, context.events(), clock, new Replacements());
  }

  /**
   * Checks at start-up that ECI accepts this node's credentials and settings: a dry-run create, which ECI
   * answers after checking the request, the RAM permissions included, without creating anything (a key
   * without permission still lists, only emptily). ECI unreachable is no start-up error: the node is NotReady
   * until it answers.
   *
   * @throws InvalidInputException when ECI refuses the credentials, their permissions or the settings
   */
  void checkAccess() throws ProviderException {
    try {
      client.dryRunCreate(accessProbe());
    } catch (EciApiException e) {
      if (e.isAuthProblem() || e.toProviderException("") instanceof InvalidInputException) {
        throw new InvalidInputException("EciAccessDenied", "the ECI provider cannot start: ECI refused a dry-run"
            + " CreateContainerGroup with " + settings.credentials() + ", ECI_SECURITY_GROUP and ECI_VSWITCH: "
            + e.code() + (e.httpStatus() > 0 ? " (HTTP " + e.httpStatus() + ")" : "") + ": " + e.getMessage()
            + "; check the key pair (or ECI_RAM_ROLE), its RAM policy (eci:CreateContainerGroup,"
            + " eci:DescribeContainerGroups, eci:DescribeContainerGroupStatus, eci:DeleteContainerGroup,"
            + " eci:UpdateContainerGroup, eci:DescribeContainerLog, eci:ExecContainerCommand,"
            + " eci:DescribeMultiContainerGroupMetric) and the ids");
      }
      if (!e.isZoneUnavailable()) {
        LOG.warn("ECI did not answer the start-up check ({}); the node stays NotReady until it does", e.toString());
      }
    }
  }

  /** A minimal group of this node, for dry runs. */
  private Map<String, String> accessProbe() {
    EciParams probe = new EciParams();
    probe.put("ContainerGroupName", "vk4j-access-check");
    probe.put("SecurityGroupId", settings.securityGroupId());
    probe.put("VSwitchId", String.join(",", settings.vSwitchIds()));
    probe.put("Container.1.Name", "check");
    probe.put("Container.1.Image", settings.kubeProxyImage());
    settings.resourceGroupId().ifPresent(group -> probe.put("ResourceGroupId", group));
    probe.putEach("Tag", List.copyOf(GroupTags.nodeFilter(settings.clusterId(), settings.nodeName()).entrySet()),
        (tag, e) -> tag.put("Key", e.getKey()).put("Value", e.getValue()));
    return probe.toMap();
  }

  /** Starts the status poll loop. */
  void start() {
    sync.start();
  }

  /** ECI API requests sent so far, per action (for benchmarks and diagnostics). */
  Map<String, Long> apiCalls() {
    return calls.snapshot();
  }

  long apiCallsTotal() {
    return calls.total();
  }

  /** Poll rounds completed so far. */
  long statusRounds() {
    return sync.rounds();
  }

  @Override
  public void notifyPods(PodStatusListener listener) {
    sync.listener(listener);
  }

  @Override
  public void createPod(V1Pod pod) throws ProviderException {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    Optional<TrackedPod> known = existing(namespace, name, uid);
    if (known.isPresent() && known.get().groupId().isPresent()) {
      // a retried create, or a pod adopted from an earlier run: keep its group
      known.get().pod(pod);
      return;
    }
    PodMapper.MappedPod mapped = PodMapper.map(pod, settings, context.resources());
    mapped.warnings().forEach(warning -> context.events().warning(pod, warning.reason(), warning.message()));
    String groupId = creator.create(pod, mapped, 0);
    lastCreate = clock.instant();
    TrackedPod tracked = new TrackedPod(namespace, name, uid, clock.instant());
    tracked.pod(pod);
    tracked.groupId(groupId);
    registry.put(tracked);
    context.events().normal(pod, "EciContainerGroupCreated", "created ECI container group " + groupId);
    Instant now = clock.instant();
    sync.publish(tracked, StatusMapper.map(ContainerGroup.builder().id(groupId).name(PodMapper.groupName(namespace, name))
        .status("Scheduling").creationTime(now).build(), Optional.of(pod), Optional.empty(), now));
  }

  /** The tracked pod with this UID; before the first full sync, ECI is asked by tags. */
  private Optional<TrackedPod> existing(String namespace, String name, String uid) throws ProviderException {
    Optional<TrackedPod> known = registry.get(namespace, name).filter(p -> p.uid.equals(uid));
    if (known.isPresent() || synced) {
      return known;
    }
    for (ContainerGroup group : findGroups(namespace, name, uid)) {
      sync.observe(group, clock.instant());
    }
    return registry.get(namespace, name).filter(p -> p.uid.equals(uid));
  }

  private List<ContainerGroup> findGroups(String namespace, String name, String uid) throws ProviderException {
    try {
      return client.describeContainerGroupsByTags(
          GroupTags.forPod(settings.clusterId(), settings.nodeName(), namespace, name, uid));
    } catch (EciApiException e) {
      throw e.toProviderException("looking up the container group of " + namespace + "/" + name);
    }
  }

  @Override
  public void updatePod(V1Pod pod) throws ProviderException {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    TrackedPod tracked = existing(namespace, name, pod.getMetadata().getUid())
        .orElseThrow(() -> new NotFoundException("no ECI container group for pod " + namespace + "/" + name));
    Map<String, String> running = runningImages(tracked);
    Map<String, String> wanted = new HashMap<>();
    allContainers(pod.getSpec()).forEach(c -> wanted.put(c.getName(), c.getImage()));
    running.keySet().retainAll(wanted.keySet());
    if (wanted.entrySet().stream().allMatch(e -> Objects.equals(running.getOrDefault(e.getKey(), e.getValue()),
        e.getValue()))) {
      // Kubernetes lets only images change in a running pod; anything else (labels,
      // annotations) needs nothing from ECI
      tracked.pod(pod);
      return;
    }
    PodMapper.MappedPod mapped = PodMapper.map(pod, settings, context.resources());
    // an incremental update of every container, and of the registry credentials a new image may need
    Map<String, String> update = new LinkedHashMap<>();
    mapped.params().forEach((key, value) -> {
      if (key.startsWith("Container.") || key.startsWith("InitContainer.") || key.startsWith("ImageRegistryCredential.")) {
        update.put(key, value);
      }
    });
    update.put("ClientToken", mapped.clientTokenBase() + "-u" + Integer.toHexString(wanted.hashCode()));
    String groupId = tracked.groupId().orElseThrow();
    try {
      client.updateContainerGroup(groupId, update);
    } catch (EciApiException e) {
      throw e.toProviderException("updating the images of ECI container group " + groupId);
    }
    tracked.pod(pod);
    context.events().normal(pod, "EciContainerGroupUpdated", "updated the images of ECI container group " + groupId);
  }

  private static Map<String, String> runningImages(TrackedPod tracked) {
    Map<String, String> images = new HashMap<>();
    tracked.pod().ifPresent(p -> allContainers(p.getSpec()).forEach(c -> images.put(c.getName(), c.getImage())));
    tracked.lastGroup().ifPresent(g -> {
      g.containers().forEach(c -> images.put(c.name(), c.image()));
      g.initContainers().forEach(c -> images.put(c.name(), c.image()));
    });
    return images;
  }

  private static List<V1Container> allContainers(V1PodSpec spec) {
    List<V1Container> all = new ArrayList<>(spec.getContainers());
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    return all;
  }

  @Override
  public void deletePod(V1Pod pod) throws ProviderException {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    Optional<TrackedPod> tracked = registry.get(namespace, name).filter(p -> uid == null || p.uid.equals(uid));
    List<String> groupIds = new ArrayList<>();
    if (tracked.isPresent() && tracked.get().groupId().isPresent()) {
      groupIds.add(tracked.get().groupId().get());
    } else if (uid != null) {
      // a predecessor or an orphan the runtime found through listPods
      findGroups(namespace, name, uid).forEach(g -> groupIds.add(g.id()));
    }
    // a force-deleted pod (grace period 0) does not wait for its containers either
    boolean force = Long.valueOf(0).equals(pod.getMetadata().getDeletionGracePeriodSeconds());
    for (String groupId : groupIds) {
      deleteGroup(groupId, force);
    }
    if (uid != null) {
      creator.forget(uid);
    }
    if (tracked.isPresent()) {
      TrackedPod entry = tracked.get();
      synchronized (entry) {
        if (!entry.isTerminal()) {
          sync.publish(entry, StatusMapper.terminated(entry.lastStatus().orElse(null), entry.pod(), "Succeeded",
              "ContainerGroupDeleted", "the ECI container group was deleted with the pod", 0, clock.instant()));
        }
        entry.markDeleted();
        registry.ended(entry);
      }
    }
    if (!groupIds.isEmpty()) {
      context.events().normal(pod, "EciContainerGroupDeleted", "deleted ECI container group " + String.join(", ", groupIds));
    }
  }

  /** Deleting a group that is gone or already terminating is success. */
  private void deleteGroup(String groupId, boolean force) throws ProviderException {
    try {
      client.deleteContainerGroup(groupId, force);
    } catch (EciApiException e) {
      if (e.isNotFound()) {
        return;
      }
      if (e.isIncorrectStatus()) {
        try {
          List<ContainerGroup> groups = client.describeContainerGroups(List.of(groupId));
          if (groups.isEmpty() || groups.get(0).status().equals("Terminating")) {
            return;
          }
        } catch (EciApiException describe) {
          throw describe.toProviderException("checking ECI container group " + groupId + " after a refused delete");
        }
      }
      throw e.toProviderException("deleting ECI container group " + groupId);
    }
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) throws ProviderException {
    return tracked(namespace, name).map(EciProvider::toPod);
  }

  private Optional<TrackedPod> tracked(String namespace, String name) throws ProviderException {
    Optional<TrackedPod> known = registry.get(namespace, name).filter(p -> p.lastStatus().isPresent());
    if (known.isPresent() || synced) {
      return known;
    }
    try {
      Map<String, String> tags = GroupTags.podFilter(settings.clusterId(), settings.nodeName(), namespace, name);
      for (ContainerGroup group : client.describeContainerGroupsByTags(tags)) {
        sync.observe(group, clock.instant());
      }
    } catch (EciApiException e) {
      throw e.toProviderException("looking up the container group of " + namespace + "/" + name);
    }
    return registry.get(namespace, name).filter(p -> p.lastStatus().isPresent());
  }

  private static V1Pod toPod(TrackedPod tracked) {
    V1Pod pod = new V1Pod().metadata(tracked.identity());
    tracked.pod().ifPresentOrElse(p -> {
      pod.getMetadata().labels(p.getMetadata().getLabels()).annotations(p.getMetadata().getAnnotations())
          .creationTimestamp(p.getMetadata().getCreationTimestamp());
      pod.spec(p.getSpec());
    }, () -> pod.spec(specFromGroup(tracked.lastGroup())));
    tracked.lastGroup().flatMap(ContainerGroup::creationTime).filter(t -> pod.getMetadata().getCreationTimestamp() == null)
        .ifPresent(t -> pod.getMetadata().creationTimestamp(StatusMapper.utc(t)));
    return pod.status(tracked.lastStatus().orElse(null));
  }

  private static V1PodSpec specFromGroup(Optional<ContainerGroup> group) {
    V1PodSpec spec = new V1PodSpec().containers(new ArrayList<>());
    group.ifPresent(g -> g.containers().stream().filter(c -> !c.name().equals(KubeProxySidecar.CONTAINER))
        .forEach(c -> spec.addContainersItem(new V1Container().name(c.name()).image(c.image()))));
    return spec;
  }

  /**
   * Every group tagged with this cluster and node, as pods, listed from ECI (the runtime compares
   * this with the API server to delete groups whose pod is gone). Predecessors of a pod of the
   * same name are included: each carries its own UID.
   */
  @Override
  public List<V1Pod> listPods() throws ProviderException {
    List<ContainerGroup> groups;
    try {
      groups = sync.recentFullList(settings.statusPollPeriod(), lastCreate);
    } catch (EciApiException e) {
      throw e.toProviderException("listing this node's ECI container groups");
    }
    synced = true;
    List<V1Pod> pods = new ArrayList<>();
    Instant now = clock.instant();
    for (ContainerGroup group : groups) {
      Optional<GroupTags.PodIdentity> identity = GroupTags.podOf(group.tags(), settings.clusterId(), settings.nodeName());
      if (identity.isEmpty()) {
        continue;
      }
      String uid = identity.get().uid();
      Optional<TrackedPod> tracked = registry.get(identity.get().namespace(), identity.get().name())
          .filter(p -> p.uid.equals(uid));
      if (tracked.isPresent()) {
        pods.add(toPod(tracked.get()));
      } else {
        TrackedPod shadow = new TrackedPod(identity.get().namespace(), identity.get().name(), uid, now);
        shadow.lastGroup(group, now);
        shadow.status(StatusMapper.map(group, Optional.empty(), Optional.empty(), now));
        pods.add(toPod(shadow));
      }
    }
    return pods;
  }

  /**
   * Every group tagged with this cluster, of all nodes, for the runtime's cluster sweep: one
   * {@code DescribeContainerGroups} per 20 groups, filtered by the cluster tag on the server. Groups
   * without the pod tags (not made by vk4j) are left out.
   */
  @Override
  public List<BackendPod> listClusterPods() throws ProviderException {
    List<ContainerGroup> groups;
    try {
      groups = client.describeContainerGroupsByTags(GroupTags.clusterFilter(settings.clusterId()));
    } catch (EciApiException e) {
      throw e.toProviderException("listing this cluster's ECI container groups");
    }
    List<BackendPod> pods = new ArrayList<>();
    for (ContainerGroup group : groups) {
      GroupTags.podOf(group.tags(), settings.clusterId()).ifPresent(identity -> pods.add(BackendPod.builder()
          .id(group.id()).nodeName(identity.node()).namespace(identity.namespace()).name(identity.name())
          .uid(identity.uid()).creationTime(group.creationTime()).build()));
    }
    return pods;
  }

  /** Deletes a group of any node of this cluster (force: nothing waits for its containers). */
  @Override
  public void deleteClusterPod(BackendPod pod) throws ProviderException {
    if (registry.get(pod.namespace(), pod.name()).filter(p -> p.uid.equals(pod.uid())).isPresent()) {
      // one of this node's own: deleted as the runtime deletes it, so its status says it ended
      deletePod(new V1Pod().metadata(new V1ObjectMeta().namespace(pod.namespace()).name(pod.name()).uid(pod.uid())
          .deletionGracePeriodSeconds(0L)));
      return;
    }
    deleteGroup(pod.id(), true);
    LOG.info("deleted ECI container group {} of pod {}/{} (node {}) for the cluster sweep", pod.id(), pod.namespace(),
        pod.name(), pod.nodeName());
  }

  @Override
  public void configureNode(V1Node node) {
    if (node.getMetadata() == null) {
      node.metadata(new V1ObjectMeta());
    }
    node.getMetadata().putLabelsItem("topology.kubernetes.io/region", settings.region());
    node.getMetadata().putLabelsItem("vk4j.io/eci-cluster", settings.clusterId());
    if (node.getStatus() == null) {
      node.status(new V1NodeStatus());
    }
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(settings.quotaCpu()));
    capacity.put("memory", new Quantity(settings.quotaMemory()));
    capacity.put("pods", new Quantity(Integer.toString(settings.quotaPods())));
    capacity.put("nvidia.com/gpu", new Quantity(settings.quotaGpu()));
    node.getStatus().capacity(capacity).allocatable(new LinkedHashMap<>(capacity));
    V1NodeSystemInfo info = node.getStatus().getNodeInfo() == null ? new V1NodeSystemInfo()
        : node.getStatus().getNodeInfo();
    node.getStatus().nodeInfo(info.operatingSystem("linux").architecture("amd64"));
  }

  /**
   * Fails, so the node goes NotReady, while ECI refuses the credentials or has not answered for
   * {@code ECI_UNREACHABLE_SECONDS}: the status poll calls ECI every few seconds, so this reflects it.
   */
  @Override
  public void ping() throws ProviderException {
    Optional<String> problem = health.problem();
    if (problem.isPresent()) {
      throw new RetryableException("EciUnavailable", "the ECI API at " + settings.endpoint() + ": " + problem.get());
    }
  }

  @Override
  public InputStream containerLogs(ContainerRef container, ContainerLogOptions options) throws ProviderException {
    String groupId = groupOf(container);
    Optional<Instant> since = options.sinceTime()
        .or(() -> options.sinceSeconds().isPresent()
            ? Optional.of(clock.instant().minusSeconds(options.sinceSeconds().getAsLong())) : Optional.empty());
    // without Tail ECI returns 500 lines; it returns at most 2000 lines and 1 MiB
    int tail = Math.min(options.tailLines().orElse(EciLimits.MAX_LOG_LINES), EciLimits.MAX_LOG_LINES);
    long limit = Math.min(options.limitBytes().orElse(EciLimits.MAX_LOG_BYTES), EciLimits.MAX_LOG_BYTES);
    String content;
    try {
      content = client.describeContainerLog(groupId, container.containerName(), tail, since,
          OptionalLong.of(limit), options.timestamps(), options.previous());
    } catch (EciApiException e) {
      throw e.toProviderException("reading the log of " + container);
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > limit) {
      bytes = Arrays.copyOf(bytes, (int) limit);
    }
    String note = "";
    if (options.tailLines().orElse(Integer.MAX_VALUE) > tail && content.lines().count() >= tail) {
      note = "[vk4j: ECI returns at most the last " + EciLimits.MAX_LOG_LINES + " lines of a log; earlier lines are"
          + " not shown]\n";
    } else if (options.limitBytes().orElse(Long.MAX_VALUE) > limit && bytes.length >= limit) {
      note = "\n[vk4j: ECI returns at most " + EciLimits.MAX_LOG_BYTES + " bytes of a log; the rest is not shown]\n";
    }
    if (!note.isEmpty()) {
      byte[] noted = Arrays.copyOf(bytes, bytes.length + note.getBytes(StandardCharsets.UTF_8).length);
      System.arraycopy(note.getBytes(StandardCharsets.UTF_8), 0, noted, bytes.length, noted.length - bytes.length);
      bytes = noted;
    }
    return new ByteArrayInputStream(bytes);
  }

  /**
   * Runs a command: without stdin or a terminal through ECI's synchronous exec, copying its output to stdout
   * (ECI returns the output only, so the exit code is 0 whenever ECI ran it); with them over the WebSocket ECI
   * hands out for an interactive session ({@link InteractiveExec}), which carries the exit code.
   */
  @Override
  public int runInContainer(ContainerRef container, List<String> command, AttachIO io) throws ProviderException {
    checkExecCommand(command);
    String groupId = groupOf(container);
    if (io.tty() || io.stdin().isPresent()) {
      String uri;
      try {
        uri = client.execContainerCommandInteractive(groupId, container.containerName(), command, io.tty(),
            io.stdin().isPresent());
      } catch (EciApiException e) {
        throw e.toProviderException("opening a session in " + container);
      }
      return interactive.run(uri, io);
    }
    String output;
    try {
      output = client.execContainerCommandSync(groupId, container.containerName(), command, Duration.ofSeconds(60));
    } catch (EciApiException e) {
      throw e.toProviderException("running a command in " + container);
    }
    Optional<OutputStream> stdout = io.stdout();
    if (stdout.isPresent()) {
      try {
        stdout.get().write(output.getBytes(StandardCharsets.UTF_8));
        stdout.get().flush();
      } catch (IOException e) {
        LOG.debug("exec client went away before the output of {} was written", container, e);
      }
    }
    return 0;
  }

  /** ExecContainerCommand takes at most 20 entries of at most 256 characters. */
  private static void checkExecCommand(List<String> command) throws InvalidInputException {
    EciLimits.Problems problems = new EciLimits.Problems();
    if (command.size() > EciLimits.MAX_EXEC_ENTRIES) {
      problems.limit("command", command.size() + " entries", "ECI runs at most " + EciLimits.MAX_EXEC_ENTRIES);
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i).length() > EciLimits.MAX_EXEC_ENTRY_LENGTH) {
        problems.limit("command[" + i + "]", command.get(i), "ECI takes entries of at most "
            + EciLimits.MAX_EXEC_ENTRY_LENGTH + " characters");
      }
    }
    problems.throwIfAny();
  }

  private String groupOf(ContainerRef container) throws ProviderException {
    TrackedPod tracked = tracked(container.namespace(), container.podName())
        .orElseThrow(() -> new NotFoundException("no pod " + container.namespace() + "/" + container.podName()));
    String groupId = tracked.groupId().orElseThrow(() -> new NotFoundException("pod " + container.namespace() + "/"
        + container.podName() + " has no ECI container group"));
    if (tracked.pod().isPresent() && allContainers(tracked.pod().get().getSpec()).stream()
        .noneMatch(c -> c.getName().equals(container.containerName()))) {
      throw new NotFoundException("pod " + container.namespace() + "/" + container.podName() + " has no container '"
          + container.containerName() + "'");
    }
    return groupId;
  }

  /** Usage of the running pods, from {@code DescribeMultiContainerGroupMetric}, cached briefly. */
  @Override
  public List<PodStats> podStats() throws ProviderException {
    CachedStats cached = stats;
    Instant now = clock.instant();
    if (cached != null && Duration.between(cached.at(), now).compareTo(settings.statsCacheTtl()) < 0) {
      return cached.pods();
    }
    Map<String, TrackedPod> running = new LinkedHashMap<>();
    for (TrackedPod pod : registry.all()) {
      if (pod.groupId().isPresent() && !pod.isDeleted()
          && pod.lastStatus().map(s -> "Running".equals(s.getPhase())).orElse(false)) {
        running.put(pod.groupId().get(), pod);
      }
    }
    List<EciClient.GroupUsage> usages;
    try {
      usages = running.isEmpty() ? List.of() : client.describeMetrics(running.keySet());
    } catch (EciApiException e) {
      throw e.toProviderException("reading ECI metrics");
    }
    List<PodStats> result = new ArrayList<>();
    for (EciClient.GroupUsage usage : usages) {
      TrackedPod pod = running.get(usage.groupId());
      if (pod == null) {
        continue;
      }
      PodStats.Builder podStats = PodStats.builder().namespace(pod.namespace).name(pod.name).uid(pod.uid)
          .time(usage.time()).networkRxBytes(usage.rxBytes()).networkTxBytes(usage.txBytes());
      for (EciClient.ContainerUsage container : usage.containers()) {
        if (container.name().equals(KubeProxySidecar.CONTAINER)) {
          continue;
        }
        podStats.addContainers(ContainerStats.builder().name(container.name()).time(usage.time())
            .cpuUsageNanoCores(container.cpuNanoCores()).cpuUsageCoreNanoSeconds(container.cpuCoreNanoSeconds())
            .memoryWorkingSetBytes(container.memoryWorkingSetBytes()).build());
      }
      result.add(podStats.build());
    }
    List<PodStats> copy = List.copyOf(result);
    stats = new CachedStats(now, copy);
    return copy;
  }

  /**
   * Groups ECI could not schedule (a ScheduleFailed group with a NoStock event, say) are replaced by new ones
   * with backoff, as ACK's {@code eci-fail-strategy} fail-back and fail-over (its default) do; fail-fast pods fail instead.
   */
  private final class Replacements implements StatusSync.ScheduleFailures {
    @Override
    public boolean replaceLater(TrackedPod tracked, ContainerGroup group) {
      Optional<V1Pod> pod = tracked.pod();
      if (pod.isEmpty() || tracked.isDeleted() || EciAnnotations.failsFast(pod.get().getMetadata().getAnnotations())) {
        return false;
      }
      if (tracked.replaceAt().isEmpty()) {
        tracked.replaceAt(clock.instant().plus(settings.noStockBackoff().dividedBy(3)));
        if (group.vSwitchId().isPresent()) {
          try {
            creator.scheduleFailed(group.vSwitchId().get(), PodMapper.map(pod.get(), settings, context.resources()));
          } catch (ProviderException e) {
            LOG.debug("pod {} cannot be mapped again: {}", tracked.key(), e.getMessage());
          }
        }
        context.events().warning(pod.get(), "EciScheduleFailed", "ECI could not schedule container group " + group.id()
            + "; a new group replaces it (" + EciAnnotations.FAIL_STRATEGY + "=fail-back)");
      }
      return true;
    }

    @Override
    public void replaceDue() {
      Instant now = clock.instant();
      for (TrackedPod tracked : registry.all()) {
        Optional<Instant> due = tracked.replaceAt();
        Optional<V1Pod> pod = tracked.pod();
        if (due.isEmpty() || due.get().isAfter(now) || pod.isEmpty() || tracked.isDeleted()) {
          continue;
        }
        replace(tracked, pod.get());
      }
    }

    @Override
    public boolean keyMayCreate() {
      try {
        client.dryRunCreate(accessProbe());
        return true;
      } catch (EciApiException e) {
        // no stock is checked after the permissions
        return e.isZoneUnavailable();
      }
    }

    private void replace(TrackedPod tracked, V1Pod pod) {
      String old = tracked.groupId().orElse(null);
      try {
        if (old != null) {
          deleteGroup(old, true);
        }
        String id = creator.create(pod, PodMapper.map(pod, settings, context.resources()), tracked.generation());
        registry.replaceGroup(tracked, old, id);
        lastCreate = clock.instant();
        context.events().normal(pod, "EciContainerGroupCreated", "created ECI container group " + id + " in place of "
            + old + ", which ECI could not schedule");
      } catch (RetryableException e) {
        tracked.replaceAt(clock.instant().plus(e.retryAfter().orElse(settings.noStockBackoff())));
      } catch (ProviderException e) {
        tracked.replaceAt(clock.instant().plus(settings.noStockBackoff()));
        LOG.warn("pod {}: replacing its unschedulable group failed: {}", tracked.key(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    sync.close();
    interactive.close();
  }
}
