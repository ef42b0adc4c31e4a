package io.vk4j.provider.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.RetryableException;
import io.vk4j.testkit.conformance.ConformancePods;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpPoolTest {

  @Test
  void handsOutEveryHostAddressOnceSkippingNetworkGatewayAndBroadcast() {
    IpPool pool = IpPool.parse("10.1.2.0/24");
    Set<String> seen = new HashSet<>();
    for (Optional<String> ip = pool.allocate(); ip.isPresent(); ip = pool.allocate()) {
      assertThat(seen.add(ip.get())).as("%s handed out twice", ip.get()).isTrue();
    }
    assertThat(seen).hasSize(253).contains("10.1.2.2", "10.1.2.254")
        .doesNotContain("10.1.2.0", "10.1.2.1", "10.1.2.255");
    assertThat(pool.available()).isZero();
  }

  @Test
  void releasedAddressesAreReusedAfterTheRestOfTheRange() {
    IpPool pool = IpPool.parse("192.168.7.0/29");
    assertThat(pool.allocate()).contains("192.168.7.2");
    assertThat(pool.allocate()).contains("192.168.7.3");
    pool.release("192.168.7.2");
    assertThat(pool.allocate()).contains("192.168.7.4");
    assertThat(pool.allocate()).contains("192.168.7.5");
    assertThat(pool.allocate()).contains("192.168.7.6");
    assertThat(pool.allocate()).contains("192.168.7.2");
    assertThat(pool.allocate()).isEmpty();
    pool.release("192.168.7.5");
    pool.release("192.168.7.5");
    pool.release("10.0.0.9");
    assertThat(pool.available()).isEqualTo(1);
    assertThat(pool.allocate()).contains("192.168.7.5");
  }

  @Test
  void theNetworkIsDerivedFromAnyAddressInTheRange() {
    assertThat(IpPool.parse("10.244.3.77/16").allocate()).contains("10.244.0.2");
  }

  @Test
  void invalidRangesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> IpPool.parse("10.244.0.0")).hasMessageContaining("10.244.0.0/16");
    assertThatThrownBy(() -> IpPool.parse("10.244.0/16")).hasMessageContaining("IPv4");
    assertThatThrownBy(() -> IpPool.parse("10.300.0.0/16")).hasMessageContaining("invalid address");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.0/31")).hasMessageContaining("/30");
    assertThatThrownBy(() -> FakeProviderOptions.builder().podCidr("fd00::/64").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theProviderRefusesPodsRetryablyWhenTheRangeIsExhaustedAndReusesFreedAddresses() throws Exception {
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
        .startDelay(Duration.ZERO).podCidr("10.9.0.0/30").deletedPodRetention(Duration.ZERO).build())) {
      V1Pod first = Pods.pod();
      provider.createPod(ConformancePods.copy(first));
      assertThat(provider.getPod(Pods.ns(first), Pods.name(first)).map(V1Pod::getStatus).orElseThrow().getPodIP()).isEqualTo("10.9.0.2");

      V1Pod second = Pods.pod();
      assertThatThrownBy(() -> provider.createPod(ConformancePods.copy(second)))
          .isInstanceOfSatisfying(RetryableException.class, e -> {
            assertThat(e.reason()).isEqualTo("PodCidrExhausted");
            assertThat(e.getMessage()).contains("10.9.0.0/30");
          });

      provider.deletePod(ConformancePods.markedForDeletion(first, 30));
      provider.createPod(ConformancePods.copy(second));
      assertThat(provider.getPod(Pods.ns(second), Pods.name(second)).map(V1Pod::getStatus).orElseThrow().getPodIP()).isEqualTo("10.9.0.2");
    }
  }
}
