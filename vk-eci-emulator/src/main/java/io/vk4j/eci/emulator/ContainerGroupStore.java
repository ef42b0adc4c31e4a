package io.vk4j.eci.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every container group of the emulated region, in creation order. All access goes through one lock, so
 * the store is thread-safe; each call first brings every group up to the current time.
 */
final class ContainerGroupStore {

  private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final String regionId;
  private final Clock clock;
  private final Duration transitionDelay;
  private final Duration terminalRetention;
  private final int maxGroups;
  private final int retainedTerminal;
  private final Network network;
  private final FaultInjector faults;
  private final SecureRandom random = new SecureRandom();
  private final LinkedHashMap<String, ContainerGroup> groups = new LinkedHashMap<>();
  private final Map<String, String> idsByClientToken = new HashMap<>();
  private long sequence;

  /**
   * @param terminalRetention how long every ended group stays listed
   * @param retainedTerminal how many ended groups stay listed after that, the newest ones (ECI: 100 per region)
   */
  ContainerGroupStore(String regionId, Clock clock, Duration transitionDelay, Duration terminalRetention, int retainedTerminal,
      int maxGroups, Network network, FaultInjector faults) {
    this.regionId = regionId;
    this.retainedTerminal = retainedTerminal;
    this.clock = clock;
    this.transitionDelay = transitionDelay;
    this.terminalRetention = terminalRetention;
    this.maxGroups = maxGroups;
    this.network = network;
    this.faults = faults;
  }

  String regionId() {
    return regionId;
  }

  Instant now() {
    return clock.instant();
  }

  /** Creates a group, or returns the id of the group an earlier request with the same ClientToken made. */
  synchronized String create(GroupSpec spec) {
    Instant now = advanceAll();
    if (spec.clientToken.isPresent()) {
      String existing = idsByClientToken.get(spec.clientToken.get());
      if (existing != null) {
        return existing;
      }
    }
    if (groups.size() >= maxGroups) {
      throw new ApiException(400, "QuotaExceeded.ContainerGroup", "The number of container groups in region " + regionId + " would exceed the quota of " + maxGroups + ".");
    }
    Placement placement = place(spec);
    String id = newId();
    ContainerGroup group = new ContainerGroup(id, ++sequence, regionId, placement.vSwitch.zoneId, placement.vSwitch.id, spec, now);
    group.intranetIp = placement.ip;
    if (placement.scheduleFailure != null) {
      group.scheduleFailureReason = placement.scheduleFailure;
      group.schedule(ContainerGroup.Step.TO_SCHEDULE_FAILED, now.plus(transitionDelay));
    } else {
      group.schedule(ContainerGroup.Step.TO_PENDING, now.plus(transitionDelay));
    }
    groups.put(id, group);
    spec.clientToken.ifPresent(token -> idsByClientToken.put(token, id));
    group.advance(now, transitionDelay);
    return id;
  }

  private record Placement(Network.VSwitch vSwitch, String ip, String scheduleFailure) {}

  private Placement place(GroupSpec spec) {
    List<String> candidates = new ArrayList<>(spec.vSwitchIds.isEmpty() ? List.of(Network.DEFAULT_VSWITCH) : spec.vSwitchIds);
    if (spec.randomVSwitchOrder) {
      Collections.shuffle(candidates, random);
    }
    boolean anyInZone = false;
    boolean anyWithoutStock = false;
    boolean anyWithoutIp = false;
    Network.VSwitch scheduleFailsIn = null;
    for (String vSwitchId : candidates) {
      Network.VSwitch vSwitch = network.vSwitch(vSwitchId);
      if (spec.zoneId.isPresent() && !spec.zoneId.get().equals(vSwitch.zoneId)) {
        continue;
      }
      anyInZone = true;
      Optional<FaultInjector.NoStockMode> stock = faults.stockOf(vSwitch.zoneId);
      if (stock.isPresent()) {
        anyWithoutStock = true;
        if (stock.get() == FaultInjector.NoStockMode.SCHEDULE_FAILS && scheduleFailsIn == null) {
          scheduleFailsIn = vSwitch;
        }
        continue;
      }
      Optional<String> ip = vSwitch.allocate();
      if (ip.isEmpty()) {
        anyWithoutIp = true;
        continue;
      }
      return new Placement(vSwitch, ip.get(), null);
    }
    if (!anyInZone) {
      throw ApiException.invalidParameter("ZoneId", "none of the vSwitches " + candidates + " is in zone " + spec.zoneId.orElse(""));
    }
    if (scheduleFailsIn != null) {
      return new Placement(scheduleFailsIn, null, "zone " + scheduleFailsIn.zoneId);
    }
    if (anyWithoutStock) {
      throw faults.noStockException("Zones tried: " + zonesOf(candidates));
    }
    if (anyWithoutIp) {
      throw new ApiException(400, "InvalidVSwitchId.IpNotEnough", "The specified vSwitch does not have enough IP addresses: " + candidates);
    }
    throw new IllegalStateException("no placement and no reason");
  }

  private List<String> zonesOf(List<String> vSwitchIds) {
    List<String> zones = new ArrayList<>();
    vSwitchIds.forEach(id -> zones.add(network.vSwitch(id).zoneId));
    return zones;
  }

  private String newId() {
    while (true) {
      StringBuilder sb = new StringBuilder("eci-");
      for (int i = 0; i < 20; i++) {
        sb.append(ID_CHARS[random.nextInt(ID_CHARS.length)]);
      }
      String id = sb.toString();
      if (!groups.containsKey(id)) {
        return id;
      }
    }
  }

  synchronized Optional<ContainerGroup> find(String id) {
    advanceAll();
    return Optional.ofNullable(groups.get(id));
  }

  synchronized ContainerGroup get(String id) {
    return find(id).orElseThrow(() -> ApiException.containerGroupNotFound(id));
  }

  /** Groups matching the filter, in creation order, after the one with sequence {@code afterSequence}. */
  synchronized List<ContainerGroup> list(Predicate<ContainerGroup> filter, long afterSequence) {
    advanceAll();
    List<ContainerGroup> result = new ArrayList<>();
    for (ContainerGroup g : groups.values()) {
      if (g.sequence > afterSequence && filter.test(g)) {
        result.add(g);
      }
    }
    return result;
  }

  /**
   * Deleting a group already Terminating is accepted; an unknown group is NotFound. {@code force} skips the
   * termination: the group is gone at once.
   */
  synchronized void delete(String id, boolean force) {
    Instant now = advanceAll();
    ContainerGroup group = groups.get(id);
    if (group == null) {
      throw ApiException.containerGroupNotFound(id);
    }
    if (!group.status.equals("Terminating")) {
      group.beginDelete(now, transitionDelay);
    }
    if (force) {
      groups.remove(id);
      forget(group);
    }
    advanceAll();
  }

  /** Groups RestartContainerGroup and UpdateContainerGroup accept, as the API reference says. */
  private static boolean pendingOrRunning(ContainerGroup group) {
    return group.status.equals("Pending") || group.status.equals("Running");
  }

  synchronized void restart(String id) {
    Instant now = advanceAll();
    ContainerGroup group = get(id);
    if (!pendingOrRunning(group)) {
      throw ApiException.incorrectStatus(id, group.status, "RestartContainerGroup");
    }
    group.beginRestart(now, transitionDelay);
    advanceAll();
  }

  synchronized void update(String id, GroupSpec newSpec) {
    Instant now = advanceAll();
    ContainerGroup group = get(id);
    if (!pendingOrRunning(group)) {
      throw ApiException.incorrectStatus(id, group.status, "UpdateContainerGroup");
    }
    group.beginUpdate(newSpec, now, transitionDelay);
    advanceAll();
  }

  /** Makes a group Expired now, as ECI does when the account is overdue. */
  synchronized void expire(String id) {
    Instant now = advanceAll();
    ContainerGroup group = groups.get(id);
    if (group == null) {
      throw new IllegalArgumentException("no container group " + id);
    }
    if (group.terminal() || group.status.equals("Terminating")) {
      throw new IllegalStateException("container group " + id + " is already " + group.status);
    }
    group.expire(now);
  }

  /** Makes a running container exit now with {@code exitCode}; the group's restart policy applies. */
  synchronized void exitContainer(String id, String containerName, int exitCode) {
    Instant now = advanceAll();
    ContainerGroup group = groups.get(id);
    if (group == null) {
      throw new IllegalArgumentException("no container group " + id);
    }
    ContainerRuntime container = group.container(containerName);
    if (container == null || container.init || !container.current.state.equals("Running")) {
      throw new IllegalStateException("container " + containerName + " of " + id + " is not a running container");
    }
    container.exitAt = now;
    container.orderedExitCode = exitCode;
    advanceAll();
  }

  /**
   * Brings every group to now: applies due transitions, removes deleted groups, and purges ended groups
   * older than the retention beyond the newest {@code retainedTerminal} ended ones.
   */
  synchronized Instant advanceAll() {
    Instant now = clock.instant();
    Iterator<ContainerGroup> it = groups.values().iterator();
    int terminal = 0;
    List<ContainerGroup> expired = new ArrayList<>();
    while (it.hasNext()) {
      ContainerGroup g = it.next();
      if (g.advance(now, transitionDelay)) {
        it.remove();
        forget(g);
      } else if (g.terminal() && g.terminalAt != null) {
        terminal++;
        if (!g.terminalAt.plus(terminalRetention).isAfter(now)) {
          expired.add(g);
        }
      }
    }
    int purge = Math.min(expired.size(), terminal - retainedTerminal);
    if (purge > 0) {
      expired.sort(Comparator.comparing((ContainerGroup g) -> g.terminalAt).thenComparingLong(g -> g.sequence));
      for (ContainerGroup g : expired.subList(0, purge)) {
        groups.remove(g.id);
        forget(g);
      }
    }
    return now;
  }

  private void forget(ContainerGroup g) {
    g.gone = true;
    if (g.intranetIp != null) {
      network.vSwitch(g.vSwitchId).release(g.intranetIp);
    }
    g.spec.clientToken.ifPresent(token -> idsByClientToken.remove(token, g.id));
  }

  /** Writes every group to {@code file} (atomically replacing it). */
  synchronized void saveTo(Path file) throws IOException {
    advanceAll();
    StateFile.save(file, sequence, new ArrayList<>(groups.values()));
  }

  /** Adds the groups of a state file, with their addresses and client tokens. */
  synchronized void loadFrom(Path file) throws IOException {
    StateFile.Loaded loaded = StateFile.load(file);
    for (ContainerGroup g : loaded.groups()) {
      if (!g.regionId.equals(regionId)) {
        throw new IOException("state file " + file + " holds group " + g.id + " of region " + g.regionId + ", not " + regionId);
      }
      groups.put(g.id, g);
      if (g.intranetIp != null) {
        network.vSwitch(g.vSwitchId).reserve(g.intranetIp);
      }
      g.spec.clientToken.ifPresent(token -> idsByClientToken.put(token, g.id));
    }
    sequence = Math.max(sequence, loaded.sequence());
  }

  synchronized List<ContainerGroupSnapshot> snapshots() {
    advanceAll();
    List<ContainerGroupSnapshot> result = new ArrayList<>();
    for (ContainerGroup g : groups.values()) {
      result.add(ContainerGroupSnapshot.of(g));
    }
    return result;
  }

  /** The zones of configured vSwitches and those an unknown vSwitch may be derived into. */
  synchronized Set<String> zones() {
    Set<String> zones = new TreeSet<>();
    network.all().values().forEach(v -> zones.add(v.zoneId));
    for (char c = 'a'; c <= 'h'; c++) {
      zones.add(regionId + "-" + c);
    }
    return zones;
  }

  synchronized int size() {
    advanceAll();
    return groups.size();
  }

  /** Runs {@code body} under the store's lock, for rendering groups consistently. */
  synchronized <T> T locked(Supplier<T> body) {
    return body.get();
  }
}
