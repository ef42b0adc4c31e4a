package io.vk4j.api;

import java.util.List;

/** Optional capability: runs commands in containers and attaches to them ({@code kubectl exec}). */
public interface ContainerExec {

  /**
   * Runs {@code command} in a container and copies its streams to and from {@code io} until it
   * exits. Called from the kubelet API's request threads; may block for as long as the command runs.
   *
   * @return the command's exit code
   * @throws NotFoundException when there is no such pod or container
   */
  int runInContainer(ContainerRef container, List<String> command, AttachIO io)
      throws ProviderException;

  /**
   * Attaches to the main process of a container. Providers that cannot attach throw
   * {@link InvalidInputException}, which is the default.
   */
  default void attachToContainer(ContainerRef container, AttachIO io) throws ProviderException {
    throw new InvalidInputException("AttachUnsupported", "this provider cannot attach to " + container);
  }
}
