package io.vk4j.runtime.internal.event;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides whether an event repeats one sent recently (same object, type, reason and message) and
 * should increment that Event's count instead of creating a new one. Remembers a bounded number of
 * recent events.
 */
final class EventAggregator {

  /** An Event already in the API server, and how often it was seen. */
  static final class Sent {
    final String namespace;
    final String name;
    int count;

    Sent(String namespace, String name, int count) {
      this.namespace = namespace;
      this.name = name;
      this.count = count;
    }
  }

  record Key(String objectUid, String type, String reason, String message) {
    Key {
      Objects.requireNonNull(objectUid);
    }
  }

  private final Cache<Key, Sent> recent;

  EventAggregator(Duration window, int maxRemembered) {
    this.recent = CacheBuilder.newBuilder().expireAfterWrite(window).maximumSize(maxRemembered).build();
  }

  /** The Event to increment for {@code key}, or {@code null} when a new one must be created. */
  Sent repeatOf(Key key) {
    return recent.getIfPresent(key);
  }

  void remember(Key key, Sent sent) {
    recent.put(key, sent);
  }

  void forget(Key key) {
    recent.invalidate(key);
  }
}
