package io.vk4j.provider.fake;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The log of one instance of a container: the last few lines it wrote, and whether it has ended.
 * Old lines are dropped so that thousands of pods stay cheap. Readers that follow the log wait on
 * this object's monitor.
 */
final class ContainerLog {
  record Line(long sequence, Instant time, String text) {}

  private final int capacity;
  private final ArrayDeque<Line> lines = new ArrayDeque<>(4);
  private long written;
  private boolean ended;
  /** Run once at the next line, end or wake-up: followers that wait without a thread. */
  private List<Runnable> waiting = new ArrayList<>();

  ContainerLog(int capacity) {
    this.capacity = capacity;
  }

  synchronized void append(Instant time, String text) {
    if (ended) {
      return;
    }
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(new Line(written++, time, text));
    notifyAll();
    wakeWaiting();
  }

  /** The instance has stopped: no more lines, and followers reach the end of their stream. */
  synchronized void end() {
    ended = true;
    notifyAll();
    wakeWaiting();
  }

  synchronized List<Line> lines() {
    return new ArrayList<>(lines);
  }

  /**
   * The first kept line with a sequence number of at least {@code sequence}, waiting for it to be
   * written; null when the log has ended (or {@code stillWanted} turned false) before.
   */
  synchronized Line awaitLine(long sequence, BooleanSupplier stillWanted)
      throws InterruptedException {
    while (sequence >= written && !ended && stillWanted.getAsBoolean()) {
      wait(1000);
    }
    if (sequence >= written || !stillWanted.getAsBoolean()) {
      return null;
    }
    long oldest = written - lines.size();
    long index = Math.max(sequence, oldest) - oldest;
    int i = 0;
    for (Line line : lines) {
      if (i++ == index) {
        return line;
      }
    }
    return null;
  }

  /** Wakes the followers up, for example because one of them was closed. */
  synchronized void wakeFollowers() {
    notifyAll();
    wakeWaiting();
  }

  /** How many lines this instance has written. */
  synchronized long written() {
    return written;
  }

  /** Whether the line {@code sequence} has been written, or none ever will be. */
  synchronized boolean reached(long sequence) {
    return sequence < written || ended;
  }

  /**
   * Runs {@code listener} once, when the line {@code sequence} is written, the log ends or the
   * followers are woken; at once if that is so already. The listener must not block.
   */
  void whenReached(long sequence, Runnable listener) {
    synchronized (this) {
      if (!reached(sequence)) {
        waiting.add(listener);
        return;
      }
    }
    listener.run();
  }

  /** Under the lock; the listeners run on the thread that changed the log, which only hands work on. */
  private void wakeWaiting() {
    if (!waiting.isEmpty()) {
      List<Runnable> ready = waiting;
      waiting = new ArrayList<>();
      ready.forEach(Runnable::run);
    }
  }
}
