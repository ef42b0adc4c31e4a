package io.vk4j.runtime.internal.kubelet;

import io.vk4j.api.ReadableLog;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A log that says when it can be read, and counts reads that had to wait (a well-behaved reader makes none). */
final class TestReadableLog extends InputStream implements ReadableLog {
  private final StringBuilder pending = new StringBuilder();
  private final List<Runnable> waiting = new ArrayList<>();
  private boolean ended;
  private int blockingReads;

  synchronized void append(String text) {
    pending.append(text);
    wake();
  }

  synchronized void end() {
    ended = true;
    wake();
  }

  synchronized int waiting() {
    return waiting.size();
  }

  synchronized int blockingReads() {
    return blockingReads;
  }

  private void wake() {
    List<Runnable> ready = new ArrayList<>(waiting);
    waiting.clear();
    notifyAll();
    ready.forEach(Runnable::run);
  }

  @Override
  public synchronized void whenReadable(Runnable listener) {
    if (pending.length() > 0 || ended) {
      listener.run();
    } else {
      waiting.add(listener);
    }
  }

  @Override
  public int read() {
    throw new UnsupportedOperationException("read in blocks");
  }

  @Override
  public synchronized int read(byte[] target, int offset, int length) throws InterruptedIOException {
    if (pending.length() == 0 && !ended) {
      blockingReads++;
    }
    while (pending.length() == 0 && !ended) {
      try {
        wait();
      } catch (InterruptedException e) {
        throw new InterruptedIOException();
      }
    }
    if (pending.length() == 0) {
      return -1;
    }
    byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
    int n = Math.min(length, bytes.length);
    System.arraycopy(bytes, 0, target, offset, n);
    pending.delete(0, new String(bytes, 0, n, StandardCharsets.UTF_8).length());
    return n;
  }

  @Override
  public synchronized int available() {
    return pending.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void close() {
    end();
  }
}
