package io.vk4j.api;

import java.io.InputStream;

/** Optional capability: serves container logs ({@code kubectl logs}, {@code kubectl logs -f}). */
public interface ContainerLogs {

  /**
   * Opens a container's log. The caller (the runtime) closes the stream; with {@link
   * ContainerLogOptions#follow()} the stream ends when the container terminates or the caller
   * closes it. Called on a runtime worker thread; it should return promptly (open the log, do not
   * read it all). A stream that also implements {@link ReadableLog} is followed without holding a
   * thread while it has nothing new.
   *
   * @throws NotFoundException when there is no such pod or container
   */
  InputStream containerLogs(ContainerRef container, ContainerLogOptions options)
      throws ProviderException;
}
