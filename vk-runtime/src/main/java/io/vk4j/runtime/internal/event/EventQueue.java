package io.vk4j.runtime.internal.event;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue of Events waiting for the sender, Warnings first: a Warning is taken before any
 * Normal Event, and when the queue is full it takes the place of the oldest Normal one, so that a
 * burst of informational Events never costs the Event that says why a pod cannot run.
 */
final class EventQueue<E> {
  private final int capacity;
  private final ArrayDeque<E> warnings = new ArrayDeque<>();
  private final ArrayDeque<E> normals = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  EventQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Queues an Event, or answers the one that could not stay: {@code null} when nothing was dropped,
   * the event itself when the queue is full, or the oldest Normal Event a Warning replaced.
   */
  E offer(E event, boolean warning) {
    lock.lock();
    try {
      E dropped = null;
      if (size() == capacity) {
        if (!warning || normals.isEmpty()) {
          return event;
        }
        dropped = normals.pollFirst();
      }
      (warning ? warnings : normals).addLast(event);
      notEmpty.signal();
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** The next Event, Warnings first, waiting up to the timeout; {@code null} when there is none. */
  E poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (size() == 0) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return warnings.isEmpty() ? normals.pollFirst() : warnings.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return warnings.size() + normals.size();
    } finally {
      lock.unlock();
    }
  }
}
