package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonObject;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerAttach;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.TerminalSize;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or attach session, whatever carries it (SPDY streams or WebSocket channels): the
 * provider's call on a streaming thread, wired to the client's stdin, stdout, stderr and terminal
 * sizes, and the {@code Status} it ends with, from which kubectl takes the exit code. The transport
 * feeds it on the event loop and is told what to send.
 */
final class RemoteCommandSession implements AttachIO {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteCommandSession.class);

  enum Output { STDOUT, STDERR }

  /** What carries the session to the client. */
  interface Transport {
    /** Sends output to the client; any thread, in order. */
    void output(Output stream, ByteBuf data);

    /** After the last output: ends the output streams, sends {@code status} on the error stream, ends the session. */
    void finish(JsonObject status);
  }

  private final ExecRequest request;
  private final Provider provider;
  private final Channel channel;
  private volatile Transport transport;
  private final StreamSlots.Slot slot;
  private final StreamInput stdin;
  private final StreamOutput stdout;
  private final StreamOutput stderr;
  private final ResizeDecoder resizes = new ResizeDecoder();
  /** Confined to the event loop. */
  private TerminalSize latestSize;
  private Consumer<TerminalSize> resizeListener;
  private final SessionThread thread = new SessionThread();
  private volatile boolean over;

  RemoteCommandSession(ExecRequest request, Provider provider, Channel channel, ReadGate gate, StreamSlots.Slot slot) {
    this.request = request;
    this.provider = provider;
    this.channel = channel;
    this.slot = slot;
    this.stdin = request.stdin() ? new StreamInput(gate) : null;
    this.stdout = request.stdout() ? new StreamOutput(channel, data -> transport.output(Output.STDOUT, data)) : null;
    this.stderr = request.stderr() ? new StreamOutput(channel, data -> transport.output(Output.STDERR, data)) : null;
  }

  ExecRequest request() {
    return request;
  }

  /** Runs the provider's call on the session's streaming thread, its output carried by {@code transport}. */
  void start(Transport transport) {
    this.transport = transport;
    slot.start(this::run);
  }

  /** Gives the slot back without starting (the client left before its streams were all there). */
  void abandon() {
    over = true;
    slot.release();
  }

  // --- fed by the transport, on the event loop ---

  void stdinData(ByteBuf data) {
    if (stdin != null) {
      stdin.offer(data);
    }
  }

  void stdinEnd() {
    if (stdin != null) {
      stdin.end();
    }
  }

  void resizeData(ByteBuf data) {
    for (TerminalSize size : resizes.decode(data)) {
      latestSize = size;
      if (resizeListener != null) {
        resizeListener.accept(size);
      }
    }
  }

  /** The client went away: stdin ends, writes fail, the provider's thread is interrupted. */
  void clientGone() {
    over = true;
    if (stdin != null) {
      stdin.end();
    }
    closeOutputs();
    thread.interrupt();
  }

  private void run() {
    JsonObject[] status = {Replies.success()};
    try {
      thread.run(() -> status[0] = call());
    } finally {
      closeOutputs();
      if (stdin != null) {
        stdin.discard();
      }
    }
    if (!over) {
      over = true;
      transport.finish(status[0]);
    }
  }

  private JsonObject call() {
    try {
      if (request.attach()) {
        ((ContainerAttach) provider).attachToContainer(request.container(), this);
        return Replies.success();
      }
      int code = ((ContainerExec) provider).runInContainer(request.container(), request.command(), this);
      return code == 0 ? Replies.success() : Replies.failure(0, "NonZeroExitCode",
          "command terminated with non-zero exit code " + code, code);
    } catch (NotFoundException e) {
      return Replies.failure(404, "NotFound", e.getMessage(), null);
    } catch (InvalidInputException e) {
      return Replies.failure(400, "BadRequest", e.reason() + ": " + e.getMessage(), null);
    } catch (ProviderException e) {
      LOG.warn("{} in {} failed: {}", request.attach() ? "attach" : "exec", request.container(), e.toString());
      return Replies.failure(500, "InternalError", e.reason() + ": " + e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.warn("{} in {} failed", request.attach() ? "attach" : "exec", request.container(), e);
      return Replies.failure(500, "InternalError", "internal error: " + e, null);
    }
  }

  private void closeOutputs() {
    if (stdout != null) {
      stdout.close();
    }
    if (stderr != null) {
      stderr.close();
    }
  }

  // --- AttachIO, for the provider ---

  @Override
  public Optional<InputStream> stdin() {
    return Optional.ofNullable(stdin);
  }

  @Override
  public Optional<OutputStream> stdout() {
    return Optional.ofNullable(stdout);
  }

  @Override
  public Optional<OutputStream> stderr() {
    return Optional.ofNullable(stderr);
  }

  @Override
  public boolean tty() {
    return request.tty();
  }

  @Override
  public void onResize(Consumer<TerminalSize> listener) {
    channel.eventLoop().execute(() -> {
      resizeListener = listener;
      if (latestSize != null && listener != null) {
        listener.accept(latestSize);
      }
    });
  }
}
