package io.vk4j.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Lease;
import io.vk4j.testkit.time.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {
  private final FakeNodeApi api = new FakeNodeApi();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
  private final LeaseKeeper keeper = new LeaseKeeper(api.leases, "vk-1", Duration.ofSeconds(40), clock);

  @Test
  void createsThenRenewsTheLeaseOwnedByTheNode() throws Exception {
    assertThat(keeper.renew("uid-1")).isEqualTo(LeaseKeeper.Renewal.RENEWED);
    clock.advance(Duration.ofSeconds(10));
    assertThat(keeper.renew("uid-1")).isEqualTo(LeaseKeeper.Renewal.RENEWED);

    V1Lease lease = api.lease();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("vk-1");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
    assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());
    assertThat(api.leaseOwner()).isEqualTo("uid-1");
  }

  @Test
  void aLeaseDeletedFromOutsideIsReportedEvenWhenTheRenewalCreatedItAgain() throws Exception {
    keeper.renew("uid-1");
    api.deleteLease(); // the garbage collector, after the Node was deleted

    // a PUT of a deleted Lease creates it again: the keeper notices and says so
    assertThat(keeper.renew("uid-1")).isEqualTo(LeaseKeeper.Renewal.VANISHED);

    keeper.forgetVanished();
    assertThat(keeper.renew("uid-2")).isEqualTo(LeaseKeeper.Renewal.RENEWED);
    assertThat(api.leaseOwner()).isEqualTo("uid-2");
  }

  @Test
  void aLeaseMissingAtTheFirstReadIsCreatedWithoutAlarm() throws Exception {
    api.leases.create(new V1Lease().metadata(new io.kubernetes.client.openapi.models.V1ObjectMeta().name("vk-1")
        .ownerReferences(java.util.List.of(new io.kubernetes.client.openapi.models.V1OwnerReference()
            .apiVersion("v1").kind("Node").name("vk-1").uid("old")))));

    assertThat(keeper.renew("uid-1")).isEqualTo(LeaseKeeper.Renewal.RENEWED);
    assertThat(api.leaseOwner()).isEqualTo("uid-1"); // taken over from a previous runtime
  }

  @Test
  void aFailedRenewalSaysWhyInWords() throws Exception {
    LeaseKeeper unreachable = new LeaseKeeper(new LeaseClient() {
      @Override
      public Optional<V1Lease> read(String name) throws ApiException {
        throw new ApiException(new ConnectException("Failed to connect"));
      }

      @Override
      public V1Lease create(V1Lease lease) {
        throw new AssertionError();
      }

      @Override
      public Replaced replace(V1Lease lease) {
        throw new AssertionError();
      }
    }, "vk-1", Duration.ofSeconds(40), clock);

    assertThat(unreachable.renew("uid-1")).isEqualTo(LeaseKeeper.Renewal.FAILED);
    assertThat(unreachable.problem()).isEqualTo("lease renewal failed: connection refused (the API server is not reachable)");
  }
}
