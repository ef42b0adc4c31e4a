package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.eci.emulator.EciEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Counts the ECI API requests the provider sends for N pods (default 3,000, the seed's maximum per
 * virtual node) against the emulator: per pod lifecycle (create, Running, delete, terminal) and per
 * status-sync round with every pod Running and nothing changing. A benchmark, not a test: excluded
 * from the default run, started with
 *
 * <pre>
 * mvn -B -o -pl vk-provider-eci test -Dtest=EciScaleBenchmarkTest -Dvk4j.excludedGroups=none [-Dvk4j.benchmark.pods=3000]
 * </pre>
 *
 * The figures go to {@code vk-provider-eci/target/eci-benchmark.txt}.
 */
@Tag("benchmark")
class EciScaleBenchmarkTest {
  private static final int PODS = Integer.getInteger("vk4j.benchmark.pods", 3000);
  private static final int WORKERS = 10;
  private static final int STEADY_ROUNDS = 10;

  @Test
  void apiCallsAtScale() throws Exception {
    try (EmulatorFixture fixture = new EmulatorFixture(EciEmulator.builder().region(EmulatorFixture.REGION)
        .groupTransitionDelay(Duration.ofMillis(200)).maxContainerGroups(PODS + 100).threads(32))) {
      fixture.env.put("ECI_STATUS_POLL_SECONDS", "2");
      fixture.env.put("ECI_API_QPS", "500");
      fixture.env.put("ECI_FULL_RESYNC_SECONDS", "3600");
      try (EciProvider provider = fixture.provider("virtual-node-eci-0")) {
        provider.listPods();
        List<V1Pod> pods = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
          pods.add(EmulatorFixture.pod("bench-" + (i % 20), "web-" + i));
        }
        StringBuilder report = new StringBuilder();
        report.append("ECI provider benchmark: ").append(PODS).append(" pods, emulator, status poll every 2 s, ")
            .append(WORKERS).append(" workers\n");

        Map<String, Long> start = provider.apiCalls();
        long t0 = System.nanoTime();
        run(pods, provider::createPod);
        long created = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
            .until(() -> pods.stream().allMatch(p -> "Running".equals(fixture.phaseOf(p))));
        long running = System.nanoTime();
        Map<String, Long> atRunning = provider.apiCalls();
        report.append(String.format("creates sent in %.1f s; all Running after %.1f s%n",
            (created - t0) / 1e9, (running - t0) / 1e9));

        // steady state: every pod Running, nothing changing
        long rounds = provider.statusRounds();
        await().atMost(Duration.ofMinutes(2)).until(() -> provider.statusRounds() > rounds + 2);
        Map<String, Long> steadyStart = provider.apiCalls();
        long steadyRounds = provider.statusRounds();
        await().atMost(Duration.ofMinutes(5)).until(() -> provider.statusRounds() >= steadyRounds + STEADY_ROUNDS);
        Map<String, Long> steadyEnd = provider.apiCalls();
        long measuredRounds = provider.statusRounds() - steadyRounds;
        Map<String, Long> steady = diff(steadyStart, steadyEnd);
        long steadyTotal = steady.values().stream().mapToLong(Long::longValue).sum();
        report.append(String.format("steady state: %d requests in %d rounds = %.2f requests per round %s%n",
            steadyTotal, measuredRounds, steadyTotal / (double) measuredRounds, steady));

        Map<String, Long> beforeList = provider.apiCalls();
        provider.listPods();
        Map<String, Long> list = diff(beforeList, provider.apiCalls());
        report.append("full resync (listPods, start-up and every ECI_FULL_RESYNC_SECONDS, default 300 s): ")
            .append(list).append('\n');

        Map<String, Long> beforeDelete = provider.apiCalls();
        run(pods, provider::deletePod);
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
            .until(() -> fixture.emulator.containerGroups().isEmpty());
        long afterRounds = provider.statusRounds();
        await().atMost(Duration.ofMinutes(2)).until(() -> provider.statusRounds() > afterRounds + 2);
        Map<String, Long> end = provider.apiCalls();

        Map<String, Long> lifecycle = diff(start, atRunning);
        diff(beforeDelete, end).forEach((action, n) -> lifecycle.merge(action, n, Long::sum));
        long lifecycleTotal = lifecycle.values().stream().mapToLong(Long::longValue).sum();
        report.append(String.format("per pod lifecycle (create -> Running, delete -> gone, polls included): %.3f"
            + " requests per pod %s%n", lifecycleTotal / (double) PODS, perPod(lifecycle)));
        report.append("emulator counted: ").append(fixture.emulator.callCounts()).append('\n');

        System.out.print(report);
        Files.writeString(Path.of("target", "eci-benchmark.txt"), report.toString());
        assertThat(pods).allMatch(p -> "Succeeded".equals(fixture.phaseOf(p)));
      }
    }
  }

  private interface PodCall {
    void call(V1Pod pod) throws Exception;
  }

  private static void run(List<V1Pod> pods, PodCall call) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (V1Pod pod : pods) {
        futures.add(workers.submit(() -> {
          call.call(pod);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(10, TimeUnit.MINUTES);
      }
    } finally {
      workers.shutdownNow();
    }
  }

  private static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach((action, n) -> {
      long d = n - before.getOrDefault(action, 0L);
      if (d > 0) {
        diff.put(action, d);
      }
    });
    return diff;
  }

  private static Map<String, String> perPod(Map<String, Long> calls) {
    Map<String, String> perPod = new TreeMap<>();
    calls.forEach((action, n) -> perPod.put(action, String.format("%.3f", n / (double) PODS)));
    return perPod;
  }

}
