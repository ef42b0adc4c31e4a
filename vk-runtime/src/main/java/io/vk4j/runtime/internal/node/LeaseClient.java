package io.vk4j.runtime.internal.node;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import java.util.Optional;

/** The Lease requests of a {@link LeaseKeeper}: the seam in front of the API server. */
interface LeaseClient {

  /** A replaced Lease; {@code created} when the API server had none and created it from the PUT. */
  record Replaced(V1Lease lease, boolean created) {}

  Optional<V1Lease> read(String name) throws ApiException;

  V1Lease create(V1Lease lease) throws ApiException, InterruptedException;

  Replaced replace(V1Lease lease) throws ApiException, InterruptedException;
}
