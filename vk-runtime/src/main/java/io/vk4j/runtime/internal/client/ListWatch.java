package io.vk4j.runtime.internal.client;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Lists and watches one kind of object, for a {@link WatchCache}: the seam between the cache's logic
 * and the API server. Internal to vk4j.
 */
public interface ListWatch<T> {

  /** One page of a list: the items, the list's resourceVersion and the continue token (empty at the end). */
  record Page<T>(List<T> items, String resourceVersion, String continueToken) {}

  /** One watch event: ADDED, MODIFIED, DELETED with the object; BOOKMARK with a resourceVersion; ERROR with a status. */
  record Event<T>(String type, T object, String resourceVersion, V1Status status) {}

  /** An open watch. */
  interface Events<T> extends Closeable {
    /** The next event, waiting for it; {@code null} when the server ended the watch. */
    Event<T> next() throws IOException;
  }

  Page<T> list(String continueToken) throws ApiException;

  /**
   * Watches from {@code resourceVersion}, with bookmarks.
   *
   * @throws ApiException with code 410 when the resourceVersion is too old
   */
  Events<T> watch(String resourceVersion) throws ApiException;
}
