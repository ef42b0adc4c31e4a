package io.vk4j.runtime.internal.event;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs Events dropped because the queue was full without a line per Event: the first drop of a burst
 * is logged with the Event, the rest as one count per period (a burst of thousands of pods drops
 * thousands of Events; {@code vk4j_events_dropped_total} counts each).
 */
final class DroppedEventLog {
  private final Logger log;
  private final long periodNanos;
  private final LongSupplier nanoTime;
  private long unlogged;
  private long lastLoggedAt;
  private boolean logged;

  DroppedEventLog(Logger log, Duration period, LongSupplier nanoTime) {
    this.log = log;
    this.periodNanos = period.toNanos();
    this.nanoTime = nanoTime;
  }

  synchronized void dropped(String type, String reason, String namespace, String name) {
    long now = nanoTime.getAsLong();
    if (!logged || now - lastLoggedAt >= periodNanos) {
      String more = unlogged == 0 ? "" : " (and " + unlogged + " more since the last line)";
      log.warn("event queue full, dropping {} event {} on pod {}/{}{}; further drops are logged as a count every {} s",
          type, reason, namespace, name, more, Duration.ofNanos(periodNanos).toSeconds());
      logged = true;
      lastLoggedAt = now;
      unlogged = 0;
    } else {
      unlogged++;
    }
  }

  /** Logs the count of drops not logged yet once the period has passed; called by the sender while it runs. */
  synchronized void flush() {
    if (unlogged > 0 && nanoTime.getAsLong() - lastLoggedAt >= periodNanos) {
      log.warn("event queue full: dropped {} more events", unlogged);
      lastLoggedAt = nanoTime.getAsLong();
      unlogged = 0;
    }
  }
}
