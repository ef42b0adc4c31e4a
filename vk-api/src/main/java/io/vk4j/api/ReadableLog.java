package io.vk4j.api;

/**
 * Optionally implemented by the {@link java.io.InputStream} that {@link ContainerLogs} returns: it
 * says when a read would not block, so that a followed log ({@code kubectl logs -f}) that has
 * nothing new costs no thread while it waits. Without it, the runtime reads the stream on a thread
 * of its own for as long as the log is followed.
 */
public interface ReadableLog {

  /**
   * Calls {@code listener} once, as soon as a read of the stream would not block: bytes can be
   * read, or the log has ended (a read returns -1), or the stream was closed. Calls it at once when
   * that is already so. The listener may run on any thread and must not block.
   */
  void whenReadable(Runnable listener);
}
