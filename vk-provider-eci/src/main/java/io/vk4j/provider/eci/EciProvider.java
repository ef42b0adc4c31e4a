package io.vk4j.provider.eci;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeStatus;
import io.kubernetes.client.openapi.models.V1NodeSystemInfo;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.AttachIO;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods of one virtual node as Alibaba Cloud ECI container groups. Created by
 * {@link EciProviderFactory}; see {@code docs/eci-provider.md} for settings and behaviour.
 *
 * <p>Pod reads ({@link #getPod}, {@link #getPodStatus}) are served from a cache that a poll loop
 * keeps current ({@code StatusSync}); only creates, deletes, updates, logs, exec and stats call
 * ECI directly.
 */
public final class EciProvider implements Provider, PodNotifier, ContainerLogs, ContainerExec, PodStatsSource {
  private static final Logger LOG = LoggerFactory.getLogger(EciProvider.class);
  /** How long ECI may stay unreachable before the node reports itself NotReady. */
  static final Duration UNREACHABLE_BEFORE_NOT_READY = Duration.ofMinutes(2);

  private final EciSettings settings;
  private final ProviderContext context;
  private final EciClient client;
  private final CircuitBreaker circuit;
  private final ApiCallCounter calls;
  private final PodRegistry registry;
  private final StatusSync sync;
  private final Clock clock;
  private volatile boolean synced;
  private volatile CachedStats stats;
  /** When a group was last created: a cached full listing older than that misses it. */
  private volatile Instant lastCreate = Instant.EPOCH;

  private record CachedStats(Instant at, List<PodStats> pods) {}

  EciProvider(EciSettings settings, ProviderContext context, EciClient client, CircuitBreaker circuit,
      ApiCallCounter calls, Clock clock) {
    this.settings = settings;
    this.context = context;
    this.client = client;
    this.circuit = circuit;
    this.calls = calls;
    this.clock = clock;
    this.registry = new PodRegistry(settings.terminalStatusCapacity());
    this.sync = new StatusSync(client, registry, settings, context.events(), clock);
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
    String groupId = createWithZoneFailover(pod, mapped);
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

  /**
   * Tries the vSwitches in order: when ECI says a zone has no stock (the codes in
   * {@link EciApiException#ZONE_FAILOVER_CODES}), the next vSwitch's zone goes first.
   */
  private String createWithZoneFailover(V1Pod pod, PodMapper.MappedPod mapped) throws ProviderException {
    List<String> vSwitches = mapped.vSwitches();
    for (int first = 0; ; first++) {
      try {
        return client.createContainerGroup(mapped.forAttempt(first));
      } catch (EciApiException e) {
        boolean another = first + 1 < vSwitches.size();
        if (e.isZoneUnavailable() && another) {
          context.events().warning(pod, "EciZoneUnavailable", "no ECI capacity with vSwitch " + vSwitches.get(first)
              + " (" + e.code() + "); trying vSwitch " + vSwitches.get(first + 1));
          continue;
        }
        ProviderException failure = e.toProviderException("creating the ECI container group");
        if (mapped.failOnCreateError() && !(failure instanceof InvalidInputException)) {
          throw new InvalidInputException("EciCreateFailed", failure.getMessage() + " (pod asks "
              + EciAnnotations.FAIL_ON_CREATE_ERROR + "=true)");
        }
        throw failure;
      }
    }
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
    Map<String, String> update = new LinkedHashMap<>();
    mapped.params().forEach((key, value) -> {
      if (key.startsWith("Container.") || key.startsWith("InitContainer.")) {
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
    for (String groupId : groupIds) {
      deleteGroup(groupId);
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
  private void deleteGroup(String groupId) throws ProviderException {
    try {
      client.deleteContainerGroup(groupId);
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

  public Optional<V1PodStatus> getPodStatus(String namespace, String name) throws ProviderException {
    return tracked(namespace, name).flatMap(TrackedPod::lastStatus);
  }

  private Optional<TrackedPod> tracked(String namespace, String name) throws ProviderException {
    Optional<TrackedPod> known = registry.get(namespace, name).filter(p -> p.lastStatus().isPresent());
    if (known.isPresent() || synced) {
      return known;
    }
    try {
      Map<String, String> tags = GroupTags.nodeFilter(settings.clusterId(), settings.nodeName());
      tags.put(GroupTags.NAMESPACE, namespace);
      tags.put(GroupTags.POD, name);
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
      Map<String, String> tags = group.tags();
      String uid = tags.get(GroupTags.UID);
      if (uid == null || tags.get(GroupTags.NAMESPACE) == null || tags.get(GroupTags.POD) == null) {
        continue;
      }
      Optional<TrackedPod> tracked = registry.get(tags.get(GroupTags.NAMESPACE), tags.get(GroupTags.POD))
          .filter(p -> p.uid.equals(uid));
      if (tracked.isPresent()) {
        pods.add(toPod(tracked.get()));
      } else {
        TrackedPod shadow = new TrackedPod(tags.get(GroupTags.NAMESPACE), tags.get(GroupTags.POD), uid, now);
        shadow.lastGroup(group, now);
        shadow.status(StatusMapper.map(group, Optional.empty(), Optional.empty(), now));
        pods.add(toPod(shadow));
      }
    }
    return pods;
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
    node.getStatus().capacity(capacity).allocatable(new LinkedHashMap<>(capacity));
    V1NodeSystemInfo info = node.getStatus().getNodeInfo() == null ? new V1NodeSystemInfo()
        : node.getStatus().getNodeInfo();
    node.getStatus().nodeInfo(info.operatingSystem("linux").architecture("amd64"));
  }

  /** NotReady only after ECI has been unreachable for a while: a blip must not evict pods. */
  @Override
  public void ping() throws ProviderException {
    Optional<Instant> open = circuit.openSince();
    if (open.isPresent() && Duration.between(open.get(), clock.instant()).compareTo(UNREACHABLE_BEFORE_NOT_READY) > 0) {
      throw new RetryableException("EciUnreachable", "the ECI API at " + settings.endpoint()
          + " has been failing since " + open.get());
    }
  }

  @Override
  public InputStream containerLogs(ContainerRef container, ContainerLogOptions options) throws ProviderException {
    String groupId = groupOf(container);
    Optional<Instant> since = options.sinceTime()
        .or(() -> options.sinceSeconds().isPresent()
            ? Optional.of(clock.instant().minusSeconds(options.sinceSeconds().getAsLong())) : Optional.empty());
    String content;
    try {
      content = client.describeContainerLog(groupId, container.containerName(), options.tailLines(), since,
          options.limitBytes(), options.timestamps(), options.previous());
    } catch (EciApiException e) {
      throw e.toProviderException("reading the log of " + container);
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (options.limitBytes().isPresent() && bytes.length > options.limitBytes().getAsLong()) {
      bytes = Arrays.copyOf(bytes, (int) options.limitBytes().getAsLong());
    }
    return new ByteArrayInputStream(bytes);
  }

  /**
   * Runs a non-interactive command through ECI's synchronous exec and copies its output to stdout.
   * ECI returns the output only, so the exit code is 0 whenever ECI ran the command.
   */
  @Override
  public int runInContainer(ContainerRef container, List<String> command, AttachIO io) throws ProviderException {
    if (io.tty() || io.stdin().isPresent()) {
      throw new InvalidInputException("ExecInteractiveUnsupported", "the ECI provider runs non-interactive commands"
          + " only (no -i or -t)");
    }
    String groupId = groupOf(container);
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

  @Override
  public void close() {
    sync.close();
  }
}
