package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodEventRecorder;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Creates a pod's container group, trying its sizes in order, each with the vSwitches not known to lack stock
 * for it ({@link StockBackoff}). One request names every usable vSwitch, so ECI itself looks through their
 * zones; a "no stock" answer marks all of them for that size. When nothing could be created the pod waits
 * with backoff and its retries meanwhile cost no call; the Event for a refusal reads the same each time, so
 * Kubernetes aggregates it.
 */
final class GroupCreator {
  private final EciClient client;
  private final StockBackoff stock;
  private final PodEventRecorder events;
  private final Clock clock;

  GroupCreator(EciClient client, StockBackoff stock, PodEventRecorder events, Clock clock) {
    this.client = client;
    this.stock = stock;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param generation how many groups were made for this pod before (a replaced group needs a new ClientToken)
   * @return the id of the group
   */
  String create(V1Pod pod, PodMapper.MappedPod mapped, int generation) throws ProviderException {
    String uid = pod.getMetadata().getUid();
    Instant now = clock.instant();
    String what = "ECI has no stock for " + shapes(mapped) + " in the zones of " + String.join(", ", mapped.vSwitches());
    Duration wait = stock.podWait(uid, now).orElse(null);
    if (wait != null) {
      throw new RetryableException("EciNoStock", what + "; the provider tries again with backoff", wait, null);
    }
    EciApiException refusal = null;
    for (int spec = 0; spec < mapped.specs().size(); spec++) {
      String shape = mapped.specs().get(spec).shape();
      List<String> candidates = stock.usable(mapped.vSwitches(), shape, now);
      if (candidates.isEmpty()) {
        continue;
      }
      try {
        String id = client.createContainerGroup(mapped.request(spec, candidates, generation));
        stock.accepted(candidates, shape);
        stock.forgetPod(uid);
        return id;
      } catch (EciApiException e) {
        if (!e.isZoneUnavailable()) {
          throw failure(e, mapped);
        }
        stock.refused(candidates, shape, clock.instant());
        events.warning(pod, "EciNoStock", "ECI has no stock for " + shape + " in the zones of "
            + String.join(", ", candidates) + " (" + e.code() + ")");
        refusal = e;
      }
    }
    if (mapped.failFast()) {
      throw new InvalidInputException("EciNoStock", what + (refusal == null ? "" : " (" + refusal.code() + ")")
          + "; the pod asks to fail fast ("
          + EciAnnotations.FAIL_STRATEGY + "=fail-fast or " + EciAnnotations.FAIL_ON_CREATE_ERROR + "=true)");
    }
    Duration next = stock.podRefused(uid, clock.instant());
    throw new RetryableException("EciNoStock", what + "; the provider tries again with backoff", next, refusal);
  }

  /** ECI could not schedule a group it accepted (a ScheduleFailed group): its vSwitch lacks stock for the size. */
  void scheduleFailed(String vSwitch, PodMapper.MappedPod mapped) {
    stock.refused(List.of(vSwitch), mapped.specs().get(0).shape(), clock.instant());
  }

  void forget(String uid) {
    stock.forgetPod(uid);
  }

  private static ProviderException failure(EciApiException e, PodMapper.MappedPod mapped) {
    ProviderException failure = e.toProviderException("creating the ECI container group");
    if (mapped.failFast() && !(failure instanceof InvalidInputException)) {
      return new InvalidInputException("EciCreateFailed", failure.getMessage() + " (the pod asks to fail fast)");
    }
    return failure;
  }

  private static String shapes(PodMapper.MappedPod mapped) {
    return String.join(" or ", mapped.specs().stream().map(EciAnnotations.InstanceSpec::shape).toList());
  }
}
