package io.vk4j.provider.fake;

import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ReadableLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Turns a {@link ContainerLog} into the stream {@code kubectl logs} asked for. */
final class LogReader {
  private LogReader() {}

  static InputStream open(ContainerLog log, ContainerLogOptions options, Clock clock) {
    List<ContainerLog.Line> all = log.lines();
    List<ContainerLog.Line> lines = all;
    Instant since = options.sinceTime()
        .orElseGet(() -> options.sinceSeconds().isPresent()
            ? clock.instant().minusSeconds(options.sinceSeconds().getAsLong())
            : null);
    if (since != null) {
      lines = lines.stream().filter(line -> !line.time().isBefore(since)).toList();
    }
    if (options.tailLines().isPresent() && lines.size() > options.tailLines().getAsInt()) {
      lines = lines.subList(lines.size() - options.tailLines().getAsInt(), lines.size());
    }
    long limit = options.limitBytes().orElse(Long.MAX_VALUE);
    if (!options.follow()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ContainerLog.Line line : lines) {
        out.writeBytes(format(line, options.timestamps()));
        if (out.size() >= limit) {
          break;
        }
      }
      byte[] bytes = out.toByteArray();
      return new ByteArrayInputStream(bytes, 0, (int) Math.min(bytes.length, limit));
    }
    // follow from the first selected line, or from the next line written when none is selected
    long start = !lines.isEmpty() ? lines.get(0).sequence()
        : all.isEmpty() ? 0 : all.get(all.size() - 1).sequence() + 1;
    return new FollowStream(log, start, options.timestamps(), limit);
  }

  /**
   * Ends a followed log once its reader has what has been written so far (an attach session whose
   * client closed its stdin); any other stream is closed at once.
   */
  static void endAfterWhatIsWritten(InputStream follow) throws IOException {
    if (follow instanceof FollowStream stream) {
      stream.endAfterWhatIsWritten();
    } else {
      follow.close();
    }
  }

  static byte[] format(ContainerLog.Line line, boolean timestamps) {
    String text = timestamps ? line.time() + " " + line.text() + "\n" : line.text() + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Streams lines as they are written, until the container instance ends or the reader closes. It
   * says when it can be read without blocking, so that an idle follower holds no thread.
   */
  private static final class FollowStream extends InputStream implements ReadableLog {
    private final ContainerLog log;
    private final boolean timestamps;
    private long sequence;
    private long remaining;
    /** No line from this one on is read (set when the reader detaches). */
    private volatile long stopAt = Long.MAX_VALUE;
    private byte[] buffer = new byte[0];
    private int position;
    private volatile boolean closed;

    FollowStream(ContainerLog log, long sequence, boolean timestamps, long limit) {
      this.log = log;
      this.sequence = sequence;
      this.timestamps = timestamps;
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = (int) Math.min(Math.min(length, buffer.length - position), remaining);
      System.arraycopy(buffer, position, target, offset, n);
      position += n;
      remaining -= n;
      return n;
    }

    private boolean fill() throws IOException {
      if (closed || remaining <= 0) {
        return false;
      }
      if (position < buffer.length) {
        return true;
      }
      if (sequence >= stopAt) {
        return false;
      }
      ContainerLog.Line line;
      try {
        line = log.awaitLine(sequence, () -> !closed && sequence < stopAt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while following the log");
      }
      if (line == null) {
        return false;
      }
      sequence = line.sequence() + 1;
      buffer = format(line, timestamps);
      position = 0;
      return true;
    }

    @Override
    public int available() {
      return buffer.length - position;
    }

    void endAfterWhatIsWritten() {
      stopAt = log.written();
      log.wakeFollowers();
    }

    @Override
    public void whenReadable(Runnable listener) {
      if (closed || remaining <= 0 || position < buffer.length || sequence >= stopAt) {
        listener.run();
      } else {
        log.whenReached(sequence, listener);
      }
    }

    @Override
    public void close() {
      closed = true;
      log.wakeFollowers();
    }
  }
}
