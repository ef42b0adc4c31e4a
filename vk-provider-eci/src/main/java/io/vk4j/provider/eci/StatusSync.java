package io.vk4j.provider.eci;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.PodStatusListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the pod cache in step with ECI by polling, and notifies the runtime of changes only.
 *
 * <p>Each round asks {@code DescribeContainerGroupStatus} (filtered by this cluster's and node's
 * tags on the server) which groups changed since the previous round, plus an overlap, and fetches
 * the details of just those with {@code DescribeContainerGroups}, 20 ids per call. Pods still
 * starting (Pending, or Running but not Ready) are refreshed as well, at most
 * {@link #WATCH_BATCHES} calls per round, because readiness can change without the group's status
 * changing. A full, tag-filtered listing runs at start-up, every {@code fullResyncPeriod}, and
 * after an outage longer than ECI's change window: it catches anything missed and finds groups
 * that vanished.
 */
final class StatusSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusSync.class);
  static final int WATCH_BATCHES = 5;
  /** Beyond this gap since the last good round, changes are not trusted: list everything. */
  private static final Duration MAX_CHANGE_WINDOW = Duration.ofMinutes(10);
  /** A group not yet seen in ECI this long after its create is declared vanished. */
  static final Duration VANISH_GRACE = Duration.ofMinutes(2);

  private final EciClient client;
  private final PodRegistry registry;
  private final EciSettings settings;
  private final PodEventRecorder events;
  private final Clock clock;
  private final Map<String, String> nodeTags;
  private final ScheduleFailures failures;
  private final AtomicReference<PodStatusListener> listener = new AtomicReference<>();
  private final ScheduledExecutorService scheduler;
  private final AtomicLong rounds = new AtomicLong();

  private volatile Instant lastRoundStart;
  private volatile Instant lastFullResync;
  private volatile List<ContainerGroup> lastFullList;

  /** What the provider does with a group ECI could not schedule. */
  interface ScheduleFailures {
    /** True when the pod gets a new group later; it stays Pending meanwhile. */
    boolean replaceLater(TrackedPod pod, ContainerGroup group);

    /** Replaces the groups whose time has come; called once per round. */
    void replaceDue();

    /** Whether ECI lets this node's key create groups (a dry run): then an empty listing means no groups. */
    boolean keyMayCreate();
  }

  StatusSync(EciClient client, PodRegistry registry, EciSettings settings, PodEventRecorder events, Clock clock,
      ScheduleFailures failures) {
    this.client = client;
    this.registry = registry;
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.failures = failures;
    this.nodeTags = GroupTags.nodeFilter(settings.clusterId(), settings.nodeName());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
        .setNameFormat("vk4j-eci-status-" + settings.nodeName().replace("%", "%%")).setDaemon(true).build());
  }

  void listener(PodStatusListener listener) {
    this.listener.set(listener);
  }

  void start() {
    long period = settings.statusPollPeriod().toMillis();
    scheduler.scheduleWithFixedDelay(this::safeRound, 0, period, TimeUnit.MILLISECONDS);
  }

  /** Rounds completed so far (successful or not). */
  long rounds() {
    return rounds.get();
  }

  private void safeRound() {
    try {
      round();
    } catch (EciApiException e) {
      LOG.warn("ECI status sync round failed, will cover the gap next round: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.error("ECI status sync round failed", e);
    } finally {
      rounds.incrementAndGet();
    }
  }

  /** One poll round. */
  void round() throws EciApiException {
    Instant start = clock.instant();
    Instant previous = lastRoundStart;
    boolean full = previous == null || lastFullResync == null
        || Duration.between(lastFullResync, start).compareTo(settings.fullResyncPeriod()) >= 0
        || Duration.between(previous, start).compareTo(MAX_CHANGE_WINDOW) > 0;
    if (full) {
      fullResync();
      lastRoundStart = start;
      failures.replaceDue();
      return;
    }
    long window = Duration.between(previous, start).toSeconds() + 1 + settings.statusPollPeriod().toSeconds();
    Set<String> ids = new LinkedHashSet<>();
    for (EciClient.StatusChange change : client.describeStatusChanges(nodeTags, window)) {
      ids.add(change.groupId());
    }
    ids.addAll(startingGroups(start));
    if (!ids.isEmpty()) {
      Instant now = clock.instant();
      for (ContainerGroup group : client.describeContainerGroups(ids)) {
        observe(group, now);
      }
    }
    lastRoundStart = start;
    failures.replaceDue();
  }

  /** Pods still coming up, least recently fetched first, bounded per round. */
  private Set<String> startingGroups(Instant now) {
    Set<String> ids = new LinkedHashSet<>();
    registry.all().stream()
        .filter(pod -> pod.groupId().isPresent() && !pod.isTerminal() && !pod.isDeleted())
        .filter(pod -> pod.lastStatus().map(StatusSync::starting).orElse(true))
        .filter(pod -> Duration.between(pod.lastFetched(), now).compareTo(settings.statusPollPeriod()) >= 0)
        .sorted(Comparator.comparing(TrackedPod::lastFetched))
        .limit((long) WATCH_BATCHES * EciClient.IDS_PER_CALL)
        .forEach(pod -> ids.add(pod.groupId().get()));
    return ids;
  }

  private static boolean starting(V1PodStatus status) {
    if ("Pending".equals(status.getPhase())) {
      return true;
    }
    return "Running".equals(status.getPhase()) && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && !c.getStatus().equals("True"));
  }

  /**
   * The groups of the last full listing if it started after {@code notBefore} and is younger than
   * {@code maxAge} (the first poll round and the runtime's start-up {@code listPods} come seconds
   * apart), else a new full listing.
   */
  synchronized List<ContainerGroup> recentFullList(Duration maxAge, Instant notBefore) throws EciApiException {
    Instant last = lastFullResync;
    if (last != null && lastFullList != null && last.isAfter(notBefore)
        && Duration.between(last, clock.instant()).compareTo(maxAge) < 0) {
      return lastFullList;
    }
    return fullResync();
  }

  /**
   * Lists every group of this node (tag filter on the server), updates every pod, adopts groups
   * this process did not create, and reports pods whose group vanished. Returns the groups.
   */
  synchronized List<ContainerGroup> fullResync() throws EciApiException {
    Instant start = clock.instant();
    List<ContainerGroup> groups = client.describeContainerGroupsByTags(nodeTags).stream()
        .filter(g -> GroupTags.podOf(g.tags(), settings.clusterId(), settings.nodeName()).isPresent()).toList();
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (ContainerGroup group : groups) {
      present.add(group.id());
      observe(group, now);
    }
    Map<String, TrackedPod> missing = new LinkedHashMap<>();
    for (TrackedPod pod : registry.all()) {
      Optional<String> groupId = pod.groupId();
      if (groupId.isEmpty() || present.contains(groupId.get()) || pod.isTerminal() || pod.isDeleted()
          || pod.replaceAt().isPresent()) {
        continue;
      }
      boolean seen = !pod.lastFetched().equals(Instant.EPOCH);
      boolean old = Duration.between(pod.trackedSince, start).compareTo(VANISH_GRACE) > 0;
      if (seen || old) {
        missing.put(groupId.get(), pod);
      }
    }
    if (!missing.isEmpty()) {
      confirmMissing(missing, !groups.isEmpty());
    }
    lastFullResync = start;
    lastFullList = List.copyOf(groups);
    return groups;
  }

  /**
   * Groups the listing did not name are asked for by id. ECI answers a key without RAM permission with empty
   * lists, so a group missing from both answers is declared gone only when the listing showed this node's
   * other groups, or, when it showed none, after a dry-run create proves the key has its permissions.
   */
  private void confirmMissing(Map<String, TrackedPod> missing, boolean listingShowedGroups) throws EciApiException {
    Instant now = clock.instant();
    for (ContainerGroup group : client.describeContainerGroups(missing.keySet())) {
      missing.remove(group.id());
      observe(group, now);
    }
    if (missing.isEmpty()) {
      return;
    }
    if (!listingShowedGroups && !failures.keyMayCreate()) {
      LOG.warn("ECI lists no container group of node {} while {} pods have one, and refuses its key a dry-run"
          + " create (a key without RAM permission lists nothing): not taking that as proof they are gone",
          settings.nodeName(), missing.size());
      return;
    }
    missing.forEach((groupId, pod) ->
        // deleted behind our back (or never placed): the pod cannot be running
        publish(pod, StatusMapper.terminated(pod.lastStatus().orElse(null), pod.pod(), "Failed",
            "ContainerGroupNotFound", "ECI container group " + groupId + " no longer exists", 137, now)));
  }

  /** Applies a freshly described group: its status, and its events not reported yet. */
  void observe(ContainerGroup group, Instant now) {
    TrackedPod pod = registry.byGroupId(group.id()).orElseGet(() -> adopt(group, now));
    if (pod == null) {
      return;
    }
    boolean adopted;
    synchronized (pod) {
      adopted = pod.pod().isEmpty();
      pod.lastGroup(group, now);
      if (!pod.isDeleted()) {
        if (group.status().equals("ScheduleFailed") && failures.replaceLater(pod, group)) {
          publish(pod, StatusMapper.waitingForGroup(pod.pod(), pod.lastStatus(), "EciScheduleFailed", "ECI could not"
              + " schedule container group " + group.id() + "; a new group replaces it", now));
        } else {
          publish(pod, StatusMapper.map(group, pod.pod(), pod.lastStatus(), now));
        }
      }
      V1Pod involved = pod.pod().orElseGet(() -> new V1Pod().metadata(pod.identity()));
      for (ContainerGroup.Event event : group.events()) {
        if (pod.isNewEvent(event, adopted)) {
          if (event.type().equals("Warning")) {
            events.warning(involved, event.reason(), event.message());
          } else {
            events.normal(involved, event.reason(), event.message());
          }
        }
      }
      pod.primeEvents();
    }
  }

  /** A group of this node this process did not create (an earlier run did): track it. */
  private TrackedPod adopt(ContainerGroup group, Instant now) {
    synchronized (registry) {
      // the poller and a worker may meet the same unknown group at once: one of them adopts it
      return registry.byGroupId(group.id()).orElseGet(() -> adoptUnlocked(group, now));
    }
  }

  private TrackedPod adoptUnlocked(ContainerGroup group, Instant now) {
    Optional<GroupTags.PodIdentity> identity = GroupTags.podOf(group.tags(), settings.clusterId(), settings.nodeName());
    if (identity.isEmpty()) {
      LOG.warn("ECI container group {} is not of a pod of this node; ignored", group.id());
      return null;
    }
    String namespace = identity.get().namespace();
    String name = identity.get().name();
    String uid = identity.get().uid();
    Optional<TrackedPod> existing = registry.get(namespace, name);
    if (existing.isPresent() && existing.get().groupId().filter(id -> !id.equals(group.id())).isPresent()) {
      // a group this pod had before (ECI could not schedule it): the pod has another now
      return null;
    }
    if (existing.isPresent() && !existing.get().uid.equals(uid)) {
      // a predecessor of the current pod with the same name: not this node's business any more
      // unless the runtime lists it; it is reported through listPods for the orphan sweep
      return null;
    }
    if (existing.isPresent()) {
      registry.indexGroup(existing.get(), group.id());
      return existing.get();
    }
    TrackedPod pod = new TrackedPod(namespace, name, uid, now);
    pod.groupId(group.id());
    registry.put(pod);
    return pod;
  }

  /** Records {@code status} and tells the runtime, if it changed. */
  void publish(TrackedPod pod, V1PodStatus status) {
    synchronized (pod) {
      if (!pod.status(status)) {
        return;
      }
      if (pod.isTerminal()) {
        registry.ended(pod);
      }
      PodStatusListener target = listener.get();
      if (target != null) {
        target.podStatusChanged(new V1Pod().metadata(pod.identity()).status(status));
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
