package io.vk4j.api;

import java.util.List;

/**
 * Optional capability: runs commands in containers, as {@code kubectl exec} asks (with or without
 * {@code -i} and {@code -t}). A provider without it makes the kubelet API answer 501, which
 * kubectl shows.
 *
 * <p>Threading: the runtime calls {@link #runInContainer} on a streaming thread of its own, one per
 * session, and the call may block for as long as the command runs. The number of sessions at once
 * is bounded by the runtime; past the bound clients are refused before the provider is called.
 */
public interface ContainerExec {

  /**
   * Runs {@code command} in a container, its stdin, stdout and stderr wired to {@code io}, and
   * returns its exit code once it has ended. A non-zero code makes {@code kubectl exec} exit with
   * that code. The provider reads {@code io.stdin()} until it ends (the client closed its stdin),
   * writes output to {@code io.stdout()}/{@code io.stderr()} and follows terminal sizes with
   * {@link AttachIO#onResize}. When the client goes away, stdin ends, writes fail with an
   * {@link java.io.IOException} and the calling thread is interrupted: return soon after. The
   * runtime flushes and closes the streams after the call returns; the provider must not use them
   * afterwards.
   *
   * @param command the command and its arguments, never empty
   * @return the command's exit code (0 for success)
   * @throws NotFoundException when there is no such pod or container; the client sees the message
   * @throws InvalidInputException when the provider cannot run this command or session (for
   *     example a terminal it cannot give); the client sees the reason and the message
   */
  int runInContainer(ContainerRef container, List<String> command, AttachIO io)
      throws ProviderException;
}
