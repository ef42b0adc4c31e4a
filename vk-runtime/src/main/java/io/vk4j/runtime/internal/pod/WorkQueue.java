package io.vk4j.runtime.internal.pod;

import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deduplicating, rate-limited work queue of keys, after the pattern of client-go's workqueue.
 * Internal to vk4j.
 *
 * <ul>
 *   <li>A key queued several times before a worker takes it is processed once.
 *   <li>A key is never handed to two workers at once: added while being processed, it is queued
 *       again when the worker calls {@link #done}.
 *   <li>{@link #addRateLimited} delays a key by its own exponential backoff (reset by {@link #forget})
 *       and by an overall token bucket, whichever is longer.
 * </ul>
 */
final class WorkQueue<K> {
  private final ScheduledExecutorService timer;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final TokenBucket overall;

  private final Object lock = new Object();
  private final LinkedHashSet<K> ready = new LinkedHashSet<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Map<K, Long> waitingUntil = new HashMap<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private boolean shutDown;

  /**
   * @param timer runs delayed adds; owned by the caller
   * @param baseDelay the first retry delay of a key, doubled on each further failure
   * @param maxDelay the cap of a key's retry delay
   * @param overall limits the rate of all rate-limited adds together
   */
  WorkQueue(ScheduledExecutorService timer, Duration baseDelay, Duration maxDelay, TokenBucket overall) {
    this.timer = timer;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.overall = overall;
  }

  /** Queues {@code key} now, unless it is queued already. */
  void add(K key) {
    synchronized (lock) {
      if (shutDown || !dirty.add(key)) {
        return;
      }
      if (!processing.contains(key)) {
        ready.add(key);
        lock.notify();
      }
    }
  }

  /** Queues {@code key} after {@code delay}; an earlier pending delayed add of the key wins. */
  void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    long due = System.nanoTime() + delay.toNanos();
    synchronized (lock) {
      if (shutDown) {
        return;
      }
      Long pending = waitingUntil.get(key);
      if (pending != null && pending - due <= 0) {
        return;
      }
      waitingUntil.put(key, due);
    }
    timer.schedule(() -> fire(key, due), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void fire(K key, long due) {
    synchronized (lock) {
      Long pending = waitingUntil.get(key);
      if (pending == null || pending != due) {
        return; // superseded by an earlier delayed add
      }
      waitingUntil.remove(key);
    }
    add(key);
  }

  /** Queues {@code key} after its backoff, counting one more failure of it. */
  void addRateLimited(K key) {
    addRateLimited(key, Duration.ZERO);
  }

  /** Like {@link #addRateLimited(Object)}, but no sooner than {@code atLeast}. */
  void addRateLimited(K key, Duration atLeast) {
    Duration backoff;
    synchronized (lock) {
      int failed = failures.merge(key, 1, Integer::sum) - 1;
      backoff = backoff(failed);
    }
    Duration delay = max(max(backoff, overall.reserve()), atLeast);
    addAfter(key, delay);
  }

  private Duration backoff(int failed) {
    if (failed >= 40) {
      return maxDelay;
    }
    long nanos = baseDelay.toNanos() << Math.min(failed, 62);
    return nanos <= 0 || nanos > maxDelay.toNanos() ? maxDelay : Duration.ofNanos(nanos);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Resets the backoff of {@code key} after it was processed successfully. */
  void forget(K key) {
    synchronized (lock) {
      failures.remove(key);
    }
  }

  /** How many times {@code key} failed since it was last forgotten. */
  int failures(K key) {
    synchronized (lock) {
      return failures.getOrDefault(key, 0);
    }
  }

  /**
   * Waits for a key and marks it being processed; the caller must call {@link #done} with it.
   * Returns {@code null} once the queue is shut down.
   */
  K take() throws InterruptedException {
    synchronized (lock) {
      while (ready.isEmpty() && !shutDown) {
        lock.wait();
      }
      if (shutDown) {
        return null;
      }
      Iterator<K> first = ready.iterator();
      K key = first.next();
      first.remove();
      dirty.remove(key);
      processing.add(key);
      return key;
    }
  }

  /** Ends the processing of {@code key}; queues it again when it was added meanwhile. */
  void done(K key) {
    synchronized (lock) {
      processing.remove(key);
      if (dirty.contains(key) && !shutDown) {
        ready.add(key);
        lock.notify();
      }
    }
  }

  /** Keys queued and not yet taken. */
  int size() {
    synchronized (lock) {
      return ready.size();
    }
  }

  /** Wakes every waiting worker with {@code null}; later adds are ignored. */
  void shutDown() {
    synchronized (lock) {
      shutDown = true;
      lock.notifyAll();
    }
  }
}
