package io.vk4j.runtime.internal.pod;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records the status writes and deletes a reconciler makes; can fail the next writes. */
final class RecordingWriter implements PodStatusWriter {
  final List<V1Pod> written = new CopyOnWriteArrayList<>();
  final List<V1Pod> deleted = new CopyOnWriteArrayList<>();
  final AtomicInteger failNextWrites = new AtomicInteger();
  private final AtomicInteger resourceVersion = new AtomicInteger(100);

  @Override
  public Optional<V1Pod> writeStatus(V1Pod pod, V1PodStatus status) throws ApiException {
    if (failNextWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ApiException(500, "scripted failure");
    }
    V1Pod copy = JSON.deserialize(JSON.serialize(pod), V1Pod.class);
    copy.setStatus(ModelCopy.of(status));
    copy.getMetadata().setResourceVersion(String.valueOf(resourceVersion.incrementAndGet()));
    written.add(copy);
    return Optional.of(copy);
  }

  @Override
  public void delete(V1Pod pod) {
    deleted.add(pod);
  }

  /** The last status written, or null. */
  V1PodStatus last() {
    return written.isEmpty() ? null : written.get(written.size() - 1).getStatus();
  }
}
