package io.vk4j.runtime.internal.node;

import io.vk4j.api.Provider;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the provider with a timeout, on a thread of its own so that a hanging backend holds up
 * nothing else, and says when the answer changes. A ping still running when the next one is due
 * counts as a failure; no second ping is started beside it.
 */
final class PingMonitor {
  private static final Logger log = LoggerFactory.getLogger(PingMonitor.class);

  private final Provider provider;
  private final String nodeName;
  private final Duration timeout;
  private final ExecutorService caller;
  private final Consumer<String> onChange;
  private Future<?> running;
  private String problem;

  /**
   * @param caller runs the provider's ping; one thread is enough
   * @param onChange told the new problem ({@code null} once the ping succeeds again)
   */
  PingMonitor(Provider provider, String nodeName, Duration timeout, ExecutorService caller, Consumer<String> onChange) {
    this.provider = provider;
    this.nodeName = nodeName;
    this.timeout = timeout;
    this.caller = caller;
    this.onChange = onChange;
  }

  /** One ping, waiting at most the timeout for its answer. */
  synchronized void ping() throws InterruptedException {
    String outcome;
    if (running != null && !running.isDone()) {
      outcome = "provider ping has not returned for more than " + timeout;
    } else {
      running = caller.submit(() -> {
        provider.ping();
        return null;
      });
      try {
        running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        outcome = null;
      } catch (TimeoutException e) {
        outcome = "provider ping did not answer within " + timeout;
      } catch (ExecutionException e) {
        outcome = "provider ping failed: " + e.getCause().getMessage();
      }
    }
    if (outcome == null ? problem != null : !outcome.equals(problem)) {
      if (outcome == null) {
        log.info("node {}: provider ping recovered", nodeName);
      } else {
        log.warn("node {}: {}", nodeName, outcome);
      }
      problem = outcome;
      onChange.accept(outcome);
    }
  }

  /** What the last ping said was wrong, or {@code null}. */
  synchronized String problem() {
    return problem;
  }
}
