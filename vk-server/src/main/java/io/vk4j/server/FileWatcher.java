package io.vk4j.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back when the content of any of some files changes. Polls content rather than using
 * WatchService: Kubernetes updates mounted Secrets and ConfigMaps by swapping a symlinked directory,
 * which file-system events report unreliably. New content is acted on once it has held still for
 * one interval, so that a file caught while being rewritten is not read half-written. A callback
 * that throws keeps the old state (its owner logs); the files are compared again on the next tick.
 */
public final class FileWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

  /** Reacts to new file contents; may throw to reject them. */
  public interface Listener {
    void changed() throws Exception;
  }

  private final ScheduledExecutorService timer;
  private final List<Watch> watches = new ArrayList<>();

  /** Compares the files every {@code interval}, on a daemon thread of its own. */
  public FileWatcher(Duration interval) {
    this.timer = Executors.newSingleThreadScheduledExecutor(
        new ThreadFactoryBuilder().setNameFormat("vk4j-file-watcher-%d").setDaemon(true).build());
    timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts watching; the current contents count as seen. */
  public synchronized void watch(List<Path> files, Listener listener) {
    watches.add(new Watch(List.copyOf(files), listener, snapshot(files)));
  }

  private synchronized void poll() {
    for (Watch watch : watches) {
      byte[][] now = snapshot(watch.files);
      if (Arrays.deepEquals(now, watch.seen)) {
        watch.pending = null;
        continue;
      }
      if (!Arrays.deepEquals(now, watch.pending)) {
        // changed since the last tick: it may be half-written (truncated, then filled); wait until it holds still
        watch.pending = now;
        continue;
      }
      watch.pending = null;
      try {
        watch.listener.changed();
        watch.seen = now;
      } catch (Exception e) {
        // remember the broken content so one bad edit is reported once, not every tick
        watch.seen = now;
        LOG.error("ignored the new content of {}, keeping the previous one: {}", watch.files, e.getMessage());
      }
    }
  }

  private static byte[][] snapshot(List<Path> files) {
    byte[][] contents = new byte[files.size()][];
    for (int i = 0; i < files.size(); i++) {
      try {
        contents[i] = Files.readAllBytes(files.get(i));
      } catch (IOException e) {
        contents[i] = new byte[0];
      }
    }
    return contents;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static final class Watch {
    final List<Path> files;
    final Listener listener;
    byte[][] seen;
    /** Content that differs from {@link #seen}, seen on the last tick: acted on if it is still there on the next. */
    byte[][] pending;

    Watch(List<Path> files, Listener listener, byte[][] seen) {
      this.files = files;
      this.listener = listener;
      this.seen = seen;
    }
  }
}
