package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.node.NodeController;
import io.vk4j.runtime.internal.pod.PodController;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a node out of the cluster for good, as {@code kubectl drain} and {@code kubectl delete node}
 * would, while its controllers still run: the Node is cordoned, every pod bound to it is deleted with
 * its own grace period (the node's pod controller stops them in the provider and removes them, and
 * their controllers create them again on other nodes), whatever the provider still runs is deleted,
 * and the Node is deleted. Bounded by a timeout: what is left then is the cluster sweep's. Internal to vk4j.
 */
public final class Retirement {
  private static final Logger log = LoggerFactory.getLogger(Retirement.class);
  private static final long POLL_MILLIS = 200;

  /** What a retirement did. */
  public record Result(int podsDeleted, int backendPodsDeleted, int podsLeft, Duration took) {}

  private final String nodeName;
  private final SweepApi api;
  private final Provider provider;

  public Retirement(String nodeName, SweepApi api, Provider provider) {
    this.nodeName = nodeName;
    this.api = api;
    this.provider = provider;
  }

  public Result run(NodeController node, PodController pods, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    String nodeUid = node.nodeUid();
    node.retire();
    try {
      api.cordon(new V1Node().metadata(new V1ObjectMeta().name(nodeName)));
    } catch (ApiException e) {
      log.warn("node {}: cordoning failed, retiring anyway: {}", nodeName, ApiErrors.describe(e));
    }
    int deleted = 0;
    java.util.Set<String> asked = new java.util.HashSet<>();
    while (System.nanoTime() < deadline) {
      List<V1Pod> left = pods.pods();
      if (left.isEmpty()) {
        break;
      }
      for (V1Pod pod : left) {
        if (pod.getMetadata().getDeletionTimestamp() == null && asked.add(pod.getMetadata().getUid())) {
          try {
            api.deletePod(pod, Optional.empty());
            deleted++;
          } catch (ApiException e) {
            asked.remove(pod.getMetadata().getUid());
            log.warn("node {}: deleting pod {}/{} failed: {}", nodeName, pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), ApiErrors.describe(e));
          }
        }
      }
      Thread.sleep(POLL_MILLIS);
    }
    int podsLeft = pods.pods().size();
    int backendDeleted = deleteWhatTheProviderRuns(podsLeft);
    pods.close();
    node.close();
    if (nodeUid != null) {
      try {
        api.deleteNode(new V1Node().metadata(new V1ObjectMeta().name(nodeName).uid(nodeUid)));
      } catch (ApiException e) {
        log.warn("node {}: deleting the Node failed: {}", nodeName, ApiErrors.describe(e));
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    log.info("node {} retired in {} ms: {} pods deleted, {} left to the cluster sweep, {} calls to delete what the provider still listed",
        nodeName, took.toMillis(), deleted, podsLeft, backendDeleted);
    return new Result(deleted, backendDeleted, podsLeft, took);
  }

  /** The provider's pods once the API's are gone: none has a pod any more (unless some were left). */
  private int deleteWhatTheProviderRuns(int podsLeft) {
    if (podsLeft > 0) {
      return 0; // their pods still exist: the cluster sweep deletes them once they are gone
    }
    int deleted = 0;
    try {
      for (V1Pod running : provider.listPods()) {
        try {
          provider.deletePod(running);
          deleted++;
        } catch (NotFoundException e) {
          // gone already
        } catch (ProviderException | RuntimeException e) {
          log.warn("node {}: deleting {} from the provider failed: {}", nodeName, running.getMetadata().getName(),
              e.getMessage());
        }
      }
    } catch (ProviderException | RuntimeException e) {
      log.warn("node {}: listing the provider's pods failed; the cluster sweep deletes what is left: {}", nodeName,
          e.getMessage());
    }
    return deleted;
  }

}
