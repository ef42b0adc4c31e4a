package io.vk4j.server;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Bounded worker pools for what must not run on an event loop (blocking calls). */
public final class Workers {
  private Workers() {}

  /**
   * A pool of at most {@code threads} daemon threads named {@code name-N}, started as needed and
   * retired after a minute idle, with {@code queue} tasks waiting at most; past that {@code
   * execute} throws {@link java.util.concurrent.RejectedExecutionException}, which the caller turns
   * into a clear refusal. {@code queue} 0: no waiting, a task runs at once or is refused.
   */
  public static ThreadPoolExecutor bounded(String name, int threads, int queue) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
        new ThreadFactoryBuilder().setNameFormat(name + "-%d").setDaemon(true).build());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
