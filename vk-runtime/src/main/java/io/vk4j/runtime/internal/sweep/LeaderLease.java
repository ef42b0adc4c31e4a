package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.vk4j.runtime.internal.client.ApiErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election with a {@code coordination.k8s.io} Lease, as client-go's leaderelection does it: the
 * holder renews the Lease; another candidate takes it over only once it has not been renewed for its
 * duration, and every write is guarded by the resourceVersion it read, so two candidates never both
 * win. A holder that cannot renew stops acting at once. Called from one thread. Internal to vk4j.
 */
final class LeaderLease {
  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);

  private final SweepApi api;
  private final String namespace;
  private final String name;
  private final String identity;
  private final Duration duration;
  private final Clock clock;
  private boolean leader;

  LeaderLease(SweepApi api, String namespace, String name, String identity, Duration duration, Clock clock) {
    this.api = api;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
    this.duration = duration;
    this.clock = clock;
  }

  /** Acquires or renews the Lease; whether this candidate holds it now. */
  boolean holdOrAcquire() {
    boolean held;
    try {
      held = tryHold();
    } catch (ApiException e) {
      if (leader) {
        log.warn("{}: cannot renew Lease {}/{}, no longer acting as its holder: {}", identity, namespace, name,
            ApiErrors.describe(e));
      }
      held = false;
    }
    if (held != leader) {
      log.info("{} {} Lease {}/{}", identity, held ? "holds" : "no longer holds", namespace, name);
    }
    leader = held;
    return held;
  }

  boolean isLeader() {
    return leader;
  }

  private boolean tryHold() throws ApiException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    Optional<V1Lease> existing = api.readLease(namespace, name);
    if (existing.isEmpty()) {
      try {
        api.createLease(new V1Lease().metadata(new V1ObjectMeta().namespace(namespace).name(name))
            .spec(spec(now, now, 0)));
        return true;
      } catch (ApiException e) {
        if (e.getCode() == 409) {
          return false; // another candidate created it first
        }
        throw e;
      }
    }
    V1Lease lease = existing.get();
    V1LeaseSpec current = lease.getSpec() == null ? new V1LeaseSpec() : lease.getSpec();
    boolean ours = identity.equals(current.getHolderIdentity());
    if (!ours && !expired(current, now)) {
      return false;
    }
    int transitions = current.getLeaseTransitions() == null ? 0 : current.getLeaseTransitions();
    OffsetDateTime acquired = ours && current.getAcquireTime() != null ? current.getAcquireTime() : now;
    lease.spec(spec(acquired, now, ours ? transitions : transitions + 1));
    try {
      api.replaceLease(lease);
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 409) {
        return false; // someone else renewed or took it since we read it
      }
      throw e;
    }
  }

  private boolean expired(V1LeaseSpec spec, OffsetDateTime now) {
    if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty() || spec.getRenewTime() == null) {
      return true;
    }
    int seconds = Objects.requireNonNullElse(spec.getLeaseDurationSeconds(), (int) duration.toSeconds());
    return spec.getRenewTime().plusSeconds(seconds).isBefore(now);
  }

  private V1LeaseSpec spec(OffsetDateTime acquired, OffsetDateTime now, int transitions) {
    return new V1LeaseSpec().holderIdentity(identity).leaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
        .acquireTime(acquired).renewTime(now).leaseTransitions(transitions);
  }
}
