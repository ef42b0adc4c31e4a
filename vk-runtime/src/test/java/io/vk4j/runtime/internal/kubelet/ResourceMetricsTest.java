package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceMetricsTest {
  private static final Instant NOW = Instant.parse("2026-11-28T07:00:00Z");
  private static final PodIndex NO_PODS = new PodIndex(List.of());

  @Test
  void figuresTheProviderDoesNotMeasureAreLeftOutNotReportedAsZero() {
    PodStats pod = PodStats.builder().namespace("ns").name("web").uid("u").time(NOW)
        .addContainers(ContainerStats.builder().name("app").time(NOW).memoryWorkingSetBytes(10).build())
        .build();

    String text = ResourceMetrics.of(List.of(pod), NO_PODS, false);

    assertThat(text).contains("container_memory_working_set_bytes{container=\"app\",namespace=\"ns\",pod=\"web\"} 10 ")
        .doesNotContain("cpu_usage_seconds_total")
        .doesNotContain("container_start_time_seconds")
        .endsWith("scrape_error 0\n");
  }

  @Test
  void eachFamilyHasOneHeaderFollowedByItsSamples() {
    PodStats a = pod("a", 1_000_000_000L);
    PodStats b = pod("b", 3_000_000_000L);

    String text = ResourceMetrics.of(List.of(a, b), NO_PODS, false);

    assertThat(text.split("# TYPE pod_cpu_usage_seconds_total counter", -1)).hasSize(2);
    assertThat(text).contains("pod_cpu_usage_seconds_total{namespace=\"ns\",pod=\"a\"} 1 ",
        "pod_cpu_usage_seconds_total{namespace=\"ns\",pod=\"b\"} 3 ", "node_cpu_usage_seconds_total 4 ");
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(PrometheusText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }

  @Test
  void noPodsGiveOnlyScrapeError() {
    assertThat(ResourceMetrics.of(List.of(), NO_PODS, false)).doesNotContain("node_").contains("scrape_error 0");
  }

  private static PodStats pod(String name, long coreNanos) {
    return PodStats.builder().namespace("ns").name(name).uid(name).time(NOW)
        .addContainers(ContainerStats.builder().name("app").time(NOW).cpuUsageCoreNanoSeconds(coreNanos).build())
        .build();
  }
}
