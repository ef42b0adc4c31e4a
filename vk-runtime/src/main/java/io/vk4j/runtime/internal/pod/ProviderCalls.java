package io.vk4j.runtime.internal.pod;

import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Calls the provider with a deadline: a call still running when it is due has its thread
 * interrupted, and fails as a {@link RetryableException} with reason {@code ProviderTimeout},
 * whatever it throws or returns afterwards. This is the cancellation the SPI promises slow backends.
 */
final class ProviderCalls {
  static final String TIMEOUT_REASON = "ProviderTimeout";

  /** A provider call that may throw what the SPI allows. */
  interface Call<T> {
    T call() throws ProviderException;
  }

  private final ScheduledExecutorService timer;
  private final Duration timeout;

  ProviderCalls(ScheduledExecutorService timer, Duration timeout) {
    this.timer = timer;
    this.timeout = timeout;
  }

  <T> T call(String what, Call<T> call) throws ProviderException {
    Thread caller = Thread.currentThread();
    Object guard = new Object();
    boolean[] state = new boolean[2]; // [0] the call is over, [1] the deadline struck
    ScheduledFuture<?> deadline = timer.schedule(() -> {
      synchronized (guard) {
        if (!state[0]) {
          state[1] = true;
          caller.interrupt();
        }
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    T result;
    RuntimeException failure = null;
    ProviderException providerFailure = null;
    try {
      result = call.call();
    } catch (ProviderException e) {
      providerFailure = e;
      result = null;
    } catch (RuntimeException e) {
      failure = e;
      result = null;
    } finally {
      synchronized (guard) {
        state[0] = true;
      }
      deadline.cancel(false);
    }
    if (state[1]) {
      Thread.interrupted(); // the interrupt was ours: the worker goes on
      throw new RetryableException(TIMEOUT_REASON, what + " did not return within " + timeout
          + "; its thread was interrupted", null, providerFailure != null ? providerFailure : failure);
    }
    if (providerFailure != null) {
      throw providerFailure;
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  void run(String what, Call<Void> call) throws ProviderException {
    call(what, call);
  }
}
