package io.vk4j.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The streams of an exec or attach session, as the kubelet API received them. Streams that the
 * client did not ask for are empty. The runtime closes the streams after the provider returns.
 */
public interface AttachIO {

  Optional<InputStream> stdin();

  Optional<OutputStream> stdout();

  /** Empty when {@link #tty()} is set: a terminal merges stderr into stdout. */
  Optional<OutputStream> stderr();

  boolean tty();

  /**
   * Blocks until the client resizes its terminal, and returns the new size; empty once the session
   * has ended.
   */
  Optional<TerminalSize> nextResize() throws InterruptedException;
}
