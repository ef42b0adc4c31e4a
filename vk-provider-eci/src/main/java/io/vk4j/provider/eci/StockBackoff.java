package io.vk4j.provider.eci;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where ECI lacked stock lately and when each pod may try again, so that a shortage costs a few calls rather
 * than a storm. A vSwitch that answered "no stock" for a size is skipped for that size for {@code base}, doubling
 * on each further refusal up to {@link #MAX}; once that is over one create probes it while the others keep
 * waiting. A pod whose create found no stock waits a third of {@code base}, doubling up to {@link #MAX}, and
 * its retries before then cost no call. Thread-safe.
 */
final class StockBackoff {
  static final Duration MAX = Duration.ofMinutes(5);

  private record Key(String vSwitch, String shape) {}

  private static final class Refusals {
    Instant until;
    Instant probeUntil;
    int count;
  }

  private static final class PodWait {
    Instant until;
    int count;
  }

  private final Duration zoneBase;
  private final Duration podBase;
  private final Map<Key, Refusals> refusals = new HashMap<>();
  private final Map<String, PodWait> pods = new HashMap<>();

  StockBackoff(Duration base) {
    this.zoneBase = base;
    this.podBase = base.dividedBy(3).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : base.dividedBy(3);
  }

  /**
   * The vSwitches, in order, a create for {@code shape} may name now: those without a recent refusal, and one
   * whose refusal is over when no other create is probing it (this call becomes the probe).
   */
  synchronized List<String> usable(List<String> vSwitches, String shape, Instant now) {
    List<String> usable = new ArrayList<>();
    for (String vSwitch : vSwitches) {
      Refusals r = refusals.get(new Key(vSwitch, shape));
      if (r == null) {
        usable.add(vSwitch);
      } else if (!now.isBefore(r.until) && (r.probeUntil == null || !now.isBefore(r.probeUntil))) {
        r.probeUntil = now.plus(zoneBase);
        usable.add(vSwitch);
      }
    }
    return usable;
  }

  synchronized void refused(List<String> vSwitches, String shape, Instant now) {
    for (String vSwitch : vSwitches) {
      Refusals r = refusals.computeIfAbsent(new Key(vSwitch, shape), k -> new Refusals());
      r.count++;
      r.until = now.plus(doubled(zoneBase, r.count));
      r.probeUntil = null;
    }
  }

  synchronized void accepted(List<String> vSwitches, String shape) {
    vSwitches.forEach(vSwitch -> refusals.remove(new Key(vSwitch, shape)));
  }

  /** How long the pod must still wait, if it must. */
  synchronized Optional<Duration> podWait(String uid, Instant now) {
    PodWait wait = pods.get(uid);
    return wait == null || !now.isBefore(wait.until) ? Optional.empty() : Optional.of(Duration.between(now, wait.until));
  }

  /** The pod found no stock: how long it waits before its next try. */
  synchronized Duration podRefused(String uid, Instant now) {
    PodWait wait = pods.computeIfAbsent(uid, k -> new PodWait());
    wait.count++;
    Duration delay = doubled(podBase, wait.count);
    wait.until = now.plus(delay);
    return delay;
  }

  synchronized void forgetPod(String uid) {
    pods.remove(uid);
  }

  private static Duration doubled(Duration base, int count) {
    Duration delay = base.multipliedBy(1L << Math.min(count - 1, 16));
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }
}
