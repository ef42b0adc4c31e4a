package io.vk4j.runtime.internal.node;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.vk4j.runtime.internal.client.ApiErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's Lease in {@code kube-node-lease}: holder the node, owned by the Node (so that it
 * goes with it), renewed by the caller's schedule. A Lease that disappeared since the last renewal
 * is reported rather than silently created again: its Node may be gone too. Thread-safe.
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** The outcome of one renewal. */
  enum Renewal {
    RENEWED,
    /** The Lease was deleted since the last renewal (the garbage collector deletes it with its Node). */
    VANISHED,
    FAILED
  }

  private final LeaseClient client;
  private final String nodeName;
  private final Duration leaseDuration;
  private final Clock clock;
  private V1Lease lease;
  private boolean held;
  private String problem;

  LeaseKeeper(LeaseClient client, String nodeName, Duration leaseDuration, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.leaseDuration = leaseDuration;
    this.clock = clock;
  }

  /** Renews the Lease of the Node with UID {@code nodeUid}, creating it when this keeper never held one. */
  synchronized Renewal renew(String nodeUid) throws InterruptedException {
    try {
      if (lease == null) {
        Optional<V1Lease> existing = client.read(nodeName);
        if (existing.isEmpty()) {
          if (held) {
            return vanished();
          }
          return create(nodeUid);
        }
        lease = existing.get();
      }
      lease.getMetadata().setOwnerReferences(List.of(owner(nodeUid)));
      lease.setSpec(spec());
      LeaseClient.Replaced replaced = client.replace(lease);
      lease = replaced.lease();
      if (replaced.created() && held) {
        return vanished();
      }
      return renewed();
    } catch (ApiException e) {
      lease = null;
      if (e.getCode() == 404 && held) {
        return vanished();
      }
      return failed(e);
    } catch (RuntimeException e) {
      lease = null;
      return failed(e);
    }
  }

  /** Forgets that a Lease was held, after its Node was found and the Lease may be created afresh. */
  synchronized void forgetVanished() {
    held = false;
    lease = null;
  }

  /** Why the last renewal failed, or {@code null}. */
  synchronized String problem() {
    return problem;
  }

  private Renewal create(String nodeUid) throws ApiException, InterruptedException {
    V1Lease fresh = new V1Lease()
        .metadata(new V1ObjectMeta().name(nodeName).namespace(ApiNodeClients.LEASE_NAMESPACE)
            .ownerReferences(List.of(owner(nodeUid))))
        .spec(spec());
    try {
      lease = client.create(fresh);
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      lease = null; // created meanwhile: renewed next time
    }
    return renewed();
  }

  private Renewal renewed() {
    if (problem != null) {
      log.info("node {}: lease renewed again", nodeName);
    }
    held = true;
    problem = null;
    return Renewal.RENEWED;
  }

  private Renewal vanished() {
    log.warn("node {}: its Lease was deleted from outside", nodeName);
    lease = null;
    return Renewal.VANISHED;
  }

  private Renewal failed(Exception e) {
    String why = "lease renewal failed: " + ApiErrors.describe(e);
    if (!why.equals(problem)) {
      log.warn("node {}: {}", nodeName, why);
    }
    problem = why;
    return Renewal.FAILED;
  }

  private V1OwnerReference owner(String nodeUid) {
    return new V1OwnerReference().apiVersion("v1").kind("Node").name(nodeName).uid(nodeUid);
  }

  private V1LeaseSpec spec() {
    return new V1LeaseSpec()
        .holderIdentity(nodeName)
        .leaseDurationSeconds((int) leaseDuration.toSeconds())
        .renewTime(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
  }
}
