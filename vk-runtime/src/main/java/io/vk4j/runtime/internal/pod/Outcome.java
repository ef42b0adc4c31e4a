package io.vk4j.runtime.internal.pod;

import java.time.Duration;

/** What a worker does with a key after one reconcile. */
record Outcome(Kind kind, Duration delay) {
  enum Kind {
    /** Nothing more to do until something changes; the key's backoff is reset. */
    DONE,
    /** Failed: try again after the key's backoff, no sooner than {@code delay}. */
    RETRY,
    /** Waiting for something (grace period, a status to settle): look again after {@code delay}. */
    RECHECK
  }

  static final Outcome DONE = new Outcome(Kind.DONE, Duration.ZERO);

  static Outcome retry() {
    return new Outcome(Kind.RETRY, Duration.ZERO);
  }

  static Outcome retry(Duration atLeast) {
    return new Outcome(Kind.RETRY, atLeast);
  }

  static Outcome recheck(Duration after) {
    return new Outcome(Kind.RECHECK, after);
  }
}
