package io.vk4j.api;

/**
 * Optional capability: attaches to the main process of a container ({@code kubectl attach}, and
 * {@code kubectl run -it}). A provider without it makes the kubelet API answer 501, which kubectl
 * shows.
 *
 * <p>Threading and stream ownership are those of {@link ContainerExec}: one runtime streaming
 * thread per session, which the call may block; the runtime closes the streams after it returns.
 */
public interface ContainerAttach {

  /**
   * Connects {@code io} to the running process of a container: what the process writes from now on
   * goes to {@code io.stdout()} (and {@code io.stderr()} without a terminal); {@code io.stdin()},
   * when present, feeds the process's stdin. Returns when the process ends or the client detaches
   * (stdin ended, or the client went away: then writes fail and the thread is interrupted).
   *
   * @throws NotFoundException when there is no such pod or container
   * @throws InvalidInputException when the container cannot be attached to (for example not running)
   */
  void attachToContainer(ContainerRef container, AttachIO io) throws ProviderException;
}
