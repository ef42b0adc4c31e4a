package io.vk4j.api;

import java.io.InputStream;

/** Optional capability: serves container logs ({@code kubectl logs}). */
public interface ContainerLogs {

  /**
   * Opens a container's log. The caller closes the stream; with {@link ContainerLogOptions#follow()}
   * the stream ends when the container terminates or the caller closes it. Called from the
   * kubelet API's request threads.
   *
   * @throws NotFoundException when there is no such pod or container
   */
  InputStream containerLogs(ContainerRef container, ContainerLogOptions options)
      throws ProviderException;
}
