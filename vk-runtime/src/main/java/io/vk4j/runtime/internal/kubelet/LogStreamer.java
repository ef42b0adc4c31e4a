package io.vk4j.runtime.internal.kubelet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.Provider;
import io.vk4j.api.ReadableLog;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: the provider's log, streamed in chunks
 * as it produces them, so that {@code follow} is live and ends when the container ends. A followed
 * log whose stream is a {@link ReadableLog} is read on a worker only when it has something new,
 * so that an idle follower costs no thread; any other followed log holds a streaming slot and its
 * thread. A slow client pauses the reading ({@link Writability}). The log is closed when the client
 * goes away or the server stops.
 */
final class LogStreamer {
  private static final int CHUNK = 8192;

  private final Provider provider;
  private final Executor workers;
  private final StreamSlots streams;
  private final Set<InputStream> open = ConcurrentHashMap.newKeySet();

  LogStreamer(Provider provider, Executor workers, StreamSlots streams) {
    this.provider = provider;
    this.workers = workers;
    this.streams = streams;
  }

  void serve(Exchange exchange, ContainerRef container, ContainerLogOptions options) throws HttpError {
    if (!(provider instanceof ContainerLogs logs)) {
      throw HttpError.notImplemented("the provider does not serve container logs");
    }
    workers.execute(() -> {
      InputStream log;
      try {
        log = logs.containerLogs(container, options);
        if (log == null) {
          throw new IllegalStateException("the provider returned no log stream for " + container);
        }
      } catch (Exception | Error e) {
        exchange.fail(e);
        return;
      }
      exchange.context().executor().execute(() -> start(exchange, log, options));
    });
  }

  /** On the event loop: the head goes out, then the log is pumped its way. */
  private void start(Exchange exchange, InputStream log, ContainerLogOptions options) {
    Channel channel = exchange.context().channel();
    Pump pump = new Pump(exchange, log, options.limitBytes().orElse(Long.MAX_VALUE));
    boolean readable = log instanceof ReadableLog;
    if (options.follow() && !readable && !streams.tryStart(pump::blocking)) {
      closeQuietly(log);
      exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, streams.refusal());
      return;
    }
    open.add(log);
    channel.closeFuture().addListener(closed -> pump.close());
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, Replies.TEXT);
    exchange.startStream(head);
    if (readable) {
      ((ReadableLog) log).whenReadable(pump::readable);
    } else if (!options.follow()) {
      onWorker(pump, pump::blocking);
    }
  }

  /** Closes every log being served; their answers end. */
  void closeAll() {
    open.forEach(LogStreamer::closeQuietly);
  }

  private void onWorker(Pump pump, Runnable task) {
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      pump.end(); // the server is stopping or overloaded: the client sees the log end
    }
  }

  private static void closeQuietly(InputStream log) {
    try {
      log.close();
    } catch (IOException | RuntimeException e) {
      // the reader notices the closed stream and ends
    }
  }

  /** Copies one log to one client, at most {@code limit} bytes (enforced here whatever the provider does). */
  private final class Pump {
    private final Exchange exchange;
    private final InputStream log;
    private long remaining;
    private volatile boolean ended;

    Pump(Exchange exchange, InputStream log, long limit) {
      this.exchange = exchange;
      this.log = log;
      this.remaining = limit;
    }

    /** On a thread that may block: read to the end. */
    void blocking() {
      Writability writability = Writability.of(exchange.context().channel());
      byte[] buffer = new byte[CHUNK];
      try {
        while (remaining > 0) {
          int read = log.read(buffer, 0, (int) Math.min(buffer.length, remaining));
          if (read < 0) {
            break;
          }
          send(buffer, read);
          writability.awaitWritable();
        }
      } catch (IOException e) {
        // closed under us (client gone, server stopping, container removed): end the answer
      }
      end();
    }

    /** The log has something to read without blocking: read it on a worker. */
    void readable() {
      if (!ended) {
        onWorker(this, this::drain);
      }
    }

    private void drain() {
      byte[] buffer = new byte[CHUNK];
      try {
        int read = log.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        while (read > 0) {
          send(buffer, read);
          if (remaining <= 0 || log.available() <= 0) {
            break;
          }
          read = log.read(buffer, 0, (int) Math.min(buffer.length, Math.min(remaining, log.available())));
        }
        if (read < 0 || remaining <= 0) {
          end();
          return;
        }
      } catch (IOException e) {
        end();
        return;
      }
      Writability.of(exchange.context().channel()).whenWritable(() -> ((ReadableLog) log).whenReadable(this::readable));
    }

    private void send(byte[] buffer, int length) {
      remaining -= length;
      exchange.write(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, length)));
    }

    /** The answer ends (once) and the log is closed. */
    synchronized void end() {
      if (!ended) {
        ended = true;
        close();
        exchange.endStream();
      }
    }

    void close() {
      open.remove(log);
      closeQuietly(log);
    }
  }
}
