package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static io.vk4j.provider.fake.Pods.uid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import io.vk4j.testkit.conformance.ConformancePods;
import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeProviderStatsTest {

  @Test
  void runningPodsReportPlausibleUsageThatOnlyDependsOnThePodAndTime() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (FakeProvider provider = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).clock(clock).build())) {
      V1Pod running = Pods.pod();
      V1Pod pending = Pods.pod(FakeAnnotations.START_DELAY, "1h");
      provider.createPod(ConformancePods.copy(running));
      provider.createPod(ConformancePods.copy(pending));
      await().atMost(Duration.ofSeconds(60))
          .until(() -> "Running".equals(provider.getPod(ns(running), name(running)).map(V1Pod::getStatus).orElseThrow().getPhase()));
      clock.advance(Duration.ofSeconds(100));

      List<PodStats> stats = provider.podStats();

      assertThat(stats).singleElement().satisfies(pod -> {
        assertThat(pod.uid()).isEqualTo(uid(running));
        assertThat(pod.time()).isEqualTo(clock.instant());
        assertThat(pod.networkRxBytes().getAsLong()).isPositive();
        ContainerStats main = pod.containers().get(0);
        assertThat(main.name()).isEqualTo("main");
        long nanoCores = main.cpuUsageNanoCores().getAsLong();
        assertThat(nanoCores).isBetween(1_000_000L, 50_000_000L);
        assertThat(main.cpuUsageCoreNanoSeconds().getAsLong()).isEqualTo(nanoCores * 100);
        assertThat(main.memoryWorkingSetBytes().getAsLong()).isBetween(8L << 20, 128L << 20);
      });
      assertThat(provider.podStats()).isEqualTo(stats);
    }
  }
}
