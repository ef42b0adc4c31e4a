package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Admission latency and throughput over HTTPS: not a test (its name keeps it out of the default
 * run) but a measurement, run with
 * {@code mvn -B -o -pl vk-webhook test -Dtest=AdmissionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read in {@code target/surefire-reports/io.vk4j.webhook.AdmissionBenchmark-output.txt}.
 *
 * <p>The server answers on ONE worker thread; the client (JDK HttpClient, keep-alive, loopback)
 * sends the AdmissionReview of {@code golden/rule-pod-label-eci} (a mutating review) on 8
 * keep-alive connections, as the API server does. Phase 1 is an open loop at a fixed rate ({@code -Dbenchmark.rate}, default 1000/s, for
 * {@code -Dbenchmark.seconds}, default 20): latency counts from the planned send time, so a stall
 * is not hidden by the client waiting for it. Phase 2 is a closed loop with 4 requests in flight:
 * the most reviews per second one worker gives.
 */
class AdmissionBenchmark {

  private static final int CONNECTIONS = 8;

  @Test
  void measure() throws Exception {
    int rate = Integer.getInteger("benchmark.rate", 1000);
    int seconds = Integer.getInteger("benchmark.seconds", 20);
    byte[] body = Files.readAllBytes(Path.of("src/test/resources/golden/rule-pod-label-eci/request.json"));

    SelfSignedCertificates.Issued certificates =
        SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of("127.0.0.1"));
    AdmissionController controller = new AdmissionController(AffinityConfig::defaults, NamespaceLabels.fixed(Map.of()));
    try (WebhookServer server = new WebhookServer(
        ServerOptions.builder().bindAddress("127.0.0.1").port(0).workers(1).queueCapacity(10_000).build(),
        new ReloadingKeyManager(certificates.serving()), controller, () -> true)) {
      server.start();
      HttpClient client = TestTls.client(certificates.ca());
      HttpRequest request = HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + server.port() + "/mutate?timeout=5s"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

      closedLoop(client, request, CONNECTIONS, 10_000); // warm-up: JIT, TLS sessions, connection pool
      long[] latencies = openLoop(client, request, rate, seconds);
      Arrays.sort(latencies);
      double throughput = closedLoop(client, request, 4, 20_000);

      String report = String.format(
          "vk-webhook admission benchmark (1 server worker, HTTPS loopback, %d-byte review, %d cores, load %.1f)%n"
              + "  open loop at %d reviews/s for %d s (%d reviews): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
              + "p99.9 %.3f ms, max %.3f ms%n"
              + "  closed loop, 4 in flight: %.0f reviews/s%n",
          body.length, Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rate, seconds, latencies.length, ms(percentile(latencies, 50)), ms(percentile(latencies, 90)),
          ms(percentile(latencies, 99)), ms(percentile(latencies, 99.9)), ms(latencies[latencies.length - 1]),
          throughput);
      System.out.print(report);
      System.err.print(report);
      assertThat(latencies).hasSize(rate * seconds);
    }
  }

  /**
   * Sends at fixed instants on {@value #CONNECTIONS} keep-alive connections (review i goes out on
   * sender i mod N at start + i / rate, or at once when that sender is late); returns each review's
   * latency from its planned instant, so queueing behind a slow answer is counted.
   */
  private static long[] openLoop(HttpClient client, HttpRequest request, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long[] latencies = new long[total];
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(CONNECTIONS);
    for (int s = 0; s < CONNECTIONS; s++) {
      int sender = s;
      senders.add(CompletableFuture.runAsync(() -> {
        for (int i = sender; i < total; i += CONNECTIONS) {
          long planned = start + i * interval;
          for (long wait = planned - System.nanoTime(); wait > 0; wait = planned - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
              throw new IllegalStateException("HTTP " + response.statusCode());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          latencies[i] = System.nanoTime() - planned;
        }
      }, threads));
    }
    try {
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(seconds + 300L, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }
    return latencies;
  }

  /** {@code concurrency} requests always in flight until {@code total} are answered; returns reviews per second. */
  private static double closedLoop(HttpClient client, HttpRequest request, int concurrency, int total) throws Exception {
    AtomicLong remaining = new AtomicLong(total);
    long started = System.nanoTime();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      workers.add(CompletableFuture.runAsync(() -> {
        while (remaining.getAndDecrement() > 0) {
          try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
              throw new IllegalStateException("HTTP " + response.statusCode());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    return total / ((System.nanoTime() - started) / 1e9);
  }

  private static long percentile(long[] sorted, double percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
