package io.vk4j.runtime.internal.kubelet;

/** The thread a session's provider call runs on, so that it can be interrupted when the client goes away, and only then. */
final class SessionThread {
  private Thread thread;
  private boolean interrupted;

  /** Runs {@code call} on the current thread; an interrupt meant for it never outlives it. */
  void run(Runnable call) {
    synchronized (this) {
      if (interrupted) {
        return;
      }
      thread = Thread.currentThread();
    }
    try {
      call.run();
    } finally {
      synchronized (this) {
        thread = null;
      }
      Thread.interrupted();
    }
  }

  synchronized void interrupt() {
    interrupted = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
