package io.vk4j.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The streams of an exec or attach session, as the client asked for them: a stream the client did
 * not ask for is empty. The runtime owns the streams: it flushes and closes them once the provider
 * call returns.
 *
 * <ul>
 *   <li>{@link #stdin()} ends (read returns -1) when the client closes its stdin or goes away. It
 *       is fed from the network with a small buffer: a provider that stops reading it slows the
 *       client down instead of buffering without bound.
 *   <li>{@link #stdout()} and {@link #stderr()} send each write at once (no buffering: flushing
 *       is not needed); a write blocks while the client is slow to read, and fails with an {@link
 *       java.io.IOException} once the client has gone or the session has ended.
 * </ul>
 */
public interface AttachIO {

  Optional<InputStream> stdin();

  Optional<OutputStream> stdout();

  /** Empty when {@link #tty()} is set: a terminal merges stderr into stdout. */
  Optional<OutputStream> stderr();

  /** Whether the client asked for a terminal ({@code kubectl exec -t}). */
  boolean tty();

  /**
   * Follows the client's terminal size: {@code listener} is called at once with the latest size
   * when the client has sent one (kubectl sends its size as the session starts), then with each new
   * size. Sizes arrive only with {@link #tty()}. The listener is called on a runtime I/O thread and
   * must not block; registering another listener replaces the previous one.
   */
  void onResize(Consumer<TerminalSize> listener);
}
