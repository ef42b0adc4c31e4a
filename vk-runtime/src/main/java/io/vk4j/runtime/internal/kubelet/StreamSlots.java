package io.vk4j.runtime.internal.kubelet;

import io.vk4j.server.Workers;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads of streaming sessions (exec, attach, a port-forwarded connection, a followed log
 * without {@link io.vk4j.api.ReadableLog}): at most {@code max} at once, each on a thread of its
 * own, created when needed and retired when idle. Past the bound a session is refused at once.
 */
final class StreamSlots implements AutoCloseable {
  private final int max;
  private final Semaphore slots;
  private final ExecutorService threads;

  StreamSlots(String name, int max) {
    this.max = max;
    this.slots = new Semaphore(max);
    // the queue is never used beyond a moment: the semaphore keeps the sessions within the threads
    this.threads = Workers.bounded(name, max, max);
  }

  /** A slot held from now on (before an upgrade, say); empty when all are taken. */
  Optional<Slot> reserve() {
    return slots.tryAcquire() ? Optional.of(new Slot()) : Optional.empty();
  }

  /** Starts {@code session} on a thread of its own; false (and nothing started) when all slots are taken. */
  boolean tryStart(Runnable session) {
    Optional<Slot> slot = reserve();
    slot.ifPresent(s -> s.start(session));
    return slot.isPresent();
  }

  int inUse() {
    return max - slots.availablePermits();
  }

  /** The message a refused client gets. */
  String refusal() {
    return "too many streaming sessions: this node serves " + max + " at once (exec, attach, port-forward"
        + " connections, followed logs); try again later";
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** One reserved slot: started once, or released unused; either way given back once. */
  final class Slot {
    private final AtomicBoolean given = new AtomicBoolean();

    private Slot() {}

    /** Runs {@code session} on a thread of its own, then gives the slot back. */
    void start(Runnable session) {
      try {
        threads.execute(() -> {
          try {
            session.run();
          } finally {
            release();
          }
        });
      } catch (RuntimeException e) {
        release();
        throw e;
      }
    }

    void release() {
      if (given.compareAndSet(false, true)) {
        slots.release();
      }
    }
  }
}
