package io.vk4j.api;

import java.util.List;

/**
 * Optional capability of a {@link Provider}: the backend pods of every node of this cluster, so that
 * pods left behind by a node that is gone for good (scaled down, deleted with its controller) are
 * found and deleted. Without it, a node's leftovers are only cleaned by a later runtime of the same
 * node name (its start-up sweep of {@link Provider#listPods()}).
 *
 * <p>The runtime calls these from one thread of the one replica that holds the cluster's sweep
 * Lease, never more often than its sweep period. It deletes a backend pod only when its node is
 * gone (or abandoned for good), no pod with its namespace, name and UID exists in the API server,
 * and it is older than a safety age; and it never acts on a listing that failed.
 */
public interface ClusterPods {

  /**
   * Every backend pod of this cluster (tagged or otherwise marked with it), of all nodes, terminal
   * ones included while the backend keeps them. Must be complete: a listing that could not be read
   * whole must throw, never return part of it.
   */
  List<BackendPod> listClusterPods() throws ProviderException;

  /**
   * Deletes one backend pod that {@link #listClusterPods()} returned, whichever node created it.
   * Idempotent: a pod that is gone already is success (throwing {@link NotFoundException} counts
   * as success too).
   */
  void deleteClusterPod(BackendPod pod) throws ProviderException;
}
