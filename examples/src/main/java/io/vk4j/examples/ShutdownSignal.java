package io.vk4j.examples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C and SIGTERM into an orderly stop: the JVM's shutdown hook asks the main thread to
 * stop, waits until it has closed the node, and then ends the process with status 0 (a signal would
 * otherwise leave 130 or 143, which supervisors report as a crash).
 */
final class ShutdownSignal {
  private static final Duration MAX_STOP_TIME = Duration.ofSeconds(60);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean exitingByItself;

  /** Installs the shutdown hook. */
  static ShutdownSignal install() {
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(signal::onJvmShutdown, "vk4j-shutdown"));
    return signal;
  }

  /** Blocks until a signal asks the program to stop. */
  void awaitStopRequest() throws InterruptedException {
    requested.await();
  }

  /** Asks the main thread to stop, as a signal does. */
  void requestStop() {
    requested.countDown();
  }

  /** Tells the hook that the node is closed. */
  void stopped() {
    stopped.countDown();
  }

  /** The program ends on its own (for example a failed start): the hook must not interfere. */
  void exitingByItself() {
    exitingByItself = true;
  }

  private void onJvmShutdown() {
    if (exitingByItself) {
      return;
    }
    requestStop();
    try {
      if (!stopped.await(MAX_STOP_TIME.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println("vk4j-virtual-node: the node did not stop within " + MAX_STOP_TIME.toSeconds() + " s");
        System.err.flush();
        Runtime.getRuntime().halt(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }
}
