package io.vk4j.webhook;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A hiccup meter for the benchmark processes: a thread asks to sleep 1 ms over and over and
 * records how much later it woke. What it sees (scheduling delays, GC and safepoint pauses, a
 * hypervisor taking the CPU away) delays every thread of the process alike, so it tells how much
 * of a latency tail the process did not cause by its own work.
 */
final class Hiccups {

  private static final long SLEEP = TimeUnit.MILLISECONDS.toNanos(1);

  private final long[] overshoot = new long[600_000];
  private volatile boolean running = true;
  private int count;
  private final Thread thread = new Thread(this::measure, "hiccup-meter");

  Hiccups start() {
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Stops and summarises: the overshoot of a 1 ms sleep at p50, p99, p99.9 and max. */
  String stop() throws InterruptedException {
    running = false;
    thread.join();
    long[] sorted = Arrays.copyOf(overshoot, count);
    Arrays.sort(sorted);
    return String.format("1 ms sleeps overshot by p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%d samples)",
        at(sorted, 50), at(sorted, 99), at(sorted, 99.9), at(sorted, 100), count);
  }

  private void measure() {
    while (running && count < overshoot.length) {
      long before = System.nanoTime();
      LockSupport.parkNanos(SLEEP);
      overshoot[count++] = Math.max(0, System.nanoTime() - before - SLEEP);
    }
  }

  private static double at(long[] sorted, double percent) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
