package io.vk4j.runtime.internal.client;

import io.kubernetes.client.openapi.ApiException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A list-watch the test scripts: lists answer with the pages queued, a watch delivers the events the
 * test sends until it ends the watch; failures are queued too. Records every resourceVersion a watch
 * started from.
 */
final class ScriptedListWatch<T> implements ListWatch<T> {
  private static final Object END = new Object();

  final BlockingQueue<Object> lists = new LinkedBlockingQueue<>(); // Page or ApiException
  final BlockingQueue<Object> watchStarts = new LinkedBlockingQueue<>(); // ApiException, or anything to start
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  final List<String> watchedFrom = new CopyOnWriteArrayList<>();

  @Override
  public Page<T> list(String continueToken) throws ApiException {
    Object next = take(lists);
    if (next instanceof ApiException e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    Page<T> page = (Page<T>) next;
    return page;
  }

  @Override
  public Events<T> watch(String resourceVersion) throws ApiException {
    watchedFrom.add(resourceVersion);
    Object start = take(watchStarts);
    if (start instanceof ApiException e) {
      throw e;
    }
    return new Events<>() {
      @Override
      @SuppressWarnings("unchecked")
      public Event<T> next() {
        Object next = take(events);
        return next == END ? null : (Event<T>) next;
      }

      @Override
      public void close() {}
    };
  }

  void send(Event<T> event) {
    events.add(event);
  }

  /** The server ends the current watch. */
  void endWatch() {
    events.add(END);
  }

  private static Object take(BlockingQueue<Object> queue) {
    try {
      Object next = queue.poll(30, TimeUnit.SECONDS);
      if (next == null) {
        throw new IllegalStateException("the test scripted nothing more");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
