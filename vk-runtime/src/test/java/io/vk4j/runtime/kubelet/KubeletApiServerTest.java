package io.vk4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeletApiServerTest {
  private static final ContainerRef APP = ContainerRef.of("ns", "web", "app");
  private static final Instant NOW = Instant.parse("2026-11-28T07:00:00Z");

  private final TestProvider provider = new TestProvider();
  private final List<V1Pod> podsOnNode = new CopyOnWriteArrayList<>();
  private KubeletApiServer server;
  private HttpsTestClient client;

  @BeforeEach
  void start() throws Exception {
    server = KubeletApiServer.start(provider, () -> List.copyOf(podsOnNode),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client = new HttpsTestClient(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static V1Pod pod(String namespace, String name, String uid, String phase) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().namespace(namespace).name(name).uid(uid))
        .spec(new V1PodSpec().nodeName("vk-test"))
        .status(new V1PodStatus().phase(phase)
            .startTime(OffsetDateTime.ofInstant(NOW.minusSeconds(60), ZoneOffset.UTC))
            .addContainerStatusesItem(new V1ContainerStatus().name("app").image("nginx").imageID("").ready(true).restartCount(0)
                .state(new V1ContainerState().running(
                    new V1ContainerStateRunning().startedAt(OffsetDateTime.ofInstant(NOW.minusSeconds(50), ZoneOffset.UTC))))));
  }

  @Test
  void portIsTheEphemeralPortBound() {
    assertThat(server.port()).isPositive();
  }

  @Test
  void healthz() throws Exception {
    HttpResponse<String> response = client.get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void podsListsThePodsOnTheNodeAsAPodList() throws Exception {
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    podsOnNode.add(pod("ns", "db", "uid-2", "Pending"));

    HttpResponse<String> response = client.get("/pods");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    V1PodList list = JSON.deserialize(response.body(), V1PodList.class);
    assertThat(list.getKind()).isEqualTo("PodList");
    assertThat(list.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("web", "db");
  }

  @Test
  void runningPodsAreTheProvidersNonTerminalPods() throws Exception {
    provider.pods.add(pod("ns", "web", "uid-1", "Running"));
    provider.pods.add(pod("ns", "done", "uid-2", "Succeeded"));
    provider.pods.add(pod("ns", "broken", "uid-3", "Failed"));

    HttpResponse<String> response = client.get("/runningpods/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.<V1PodList>deserialize(response.body(), V1PodList.class).getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactly("web");
  }

  @Test
  void containerLogsPassesTheOptionsAndReturnsTheLog() throws Exception {
    provider.log(APP, "line 1\nline 2\n");

    HttpResponse<String> response =
        client.get("/containerLogs/ns/web/app?tailLines=2&timestamps=true&sinceSeconds=60");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("line 1\nline 2\n");
    assertThat(provider.logRequests).containsExactly(ContainerLogOptions.builder()
        .tailLines(2).timestamps(true).sinceSeconds(60).build());
  }

  @Test
  void containerLogsStopsAtLimitBytesEvenIfTheProviderSendsMore() throws Exception {
    provider.log(APP, "0123456789");

    HttpResponse<String> response = client.get("/containerLogs/ns/web/app?limitBytes=4");

    assertThat(response.body()).isEqualTo("0123");
  }

  @Test
  void followStreamsLinesAsTheyAreWritten() throws Exception {
    PipedOutputStream container = new PipedOutputStream();
    provider.logs.put(APP, new PipedInputStream(container));

    HttpResponse<InputStream> response = client.getStream("/containerLogs/ns/web/app?follow=true");
    assertThat(response.statusCode()).isEqualTo(200);
    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));

    container.write("first\n".getBytes(StandardCharsets.UTF_8));
    container.flush();
    assertThat(lines.readLine()).isEqualTo("first"); // arrives while the log is still open
    container.write("second\n".getBytes(StandardCharsets.UTF_8));
    container.flush();
    assertThat(lines.readLine()).isEqualTo("second");
    container.close();
    assertThat(lines.readLine()).isNull();
    assertThat(provider.logRequests.get(0).follow()).isTrue();
  }

  @Test
  void closingTheServerEndsFollowedLogs() throws Exception {
    PipedOutputStream container = new PipedOutputStream();
    provider.logs.put(APP, new PipedInputStream(container));
    HttpResponse<InputStream> response = client.getStream("/containerLogs/ns/web/app?follow=1");
    container.write("hello\n".getBytes(StandardCharsets.UTF_8));
    container.flush();
    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    assertThat(lines.readLine()).isEqualTo("hello");

    CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
      try {
        while (lines.readLine() != null) {
          // drain until the server ends the stream
        }
      } catch (IOException e) {
        // a reset connection ends the stream too
      }
    });
    server.close();

    await().atMost(Duration.ofSeconds(60)).until(rest::isDone);
  }

  @Test
  void badLogParameterIs400WithTheReason() throws Exception {
    HttpResponse<String> response = client.get("/containerLogs/ns/web/app?tailLines=many");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("tailLines: not an integer: 'many'");
    assertThat(provider.logRequests).isEmpty();
  }

  @Test
  void unknownContainerIs404() throws Exception {
    HttpResponse<String> response = client.get("/containerLogs/ns/web/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no container ns/web/nope");
  }

  @Test
  void incompleteLogPathIs404() throws Exception {
    assertThat(client.get("/containerLogs/ns/web").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(client.get("/nothing/here").statusCode()).isEqualTo(404);
    assertThat(client.get("/stats/other").statusCode()).isEqualTo(404);
    HttpResponse<String> post = client.post("/pods", "");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void statsSummaryIsShapedLikeTheKubeletsSummary() throws Exception {
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    provider.stats = List.of(PodStats.builder().namespace("ns").name("web").uid("uid-1").time(NOW)
        .networkRxBytes(100).networkTxBytes(200)
        .addContainers(container("app", 250_000_000L, 5_000_000_000L, 64L << 20))
        .addContainers(container("sidecar", 50_000_000L, 1_000_000_000L, 16L << 20))
        .build());

    HttpResponse<String> response = client.get("/stats/summary");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject summary = JsonParser.parseString(response.body()).getAsJsonObject();
    JsonObject node = summary.getAsJsonObject("node");
    assertThat(node.get("nodeName").getAsString()).isEqualTo("vk-test");
    assertThat(node.getAsJsonObject("cpu").get("usageNanoCores").getAsLong()).isEqualTo(300_000_000L);
    assertThat(node.getAsJsonObject("memory").get("workingSetBytes").getAsLong()).isEqualTo(80L << 20);
    JsonObject pod = summary.getAsJsonArray("pods").get(0).getAsJsonObject();
    assertThat(pod.getAsJsonObject("podRef").get("uid").getAsString()).isEqualTo("uid-1");
    assertThat(pod.get("startTime").getAsString()).isEqualTo("2026-11-28T06:59:00Z");
    assertThat(pod.getAsJsonObject("cpu").get("usageCoreNanoSeconds").getAsLong()).isEqualTo(6_000_000_000L);
    assertThat(pod.getAsJsonObject("network").get("txBytes").getAsLong()).isEqualTo(200);
    JsonObject app = pod.getAsJsonArray("containers").get(0).getAsJsonObject();
    assertThat(app.get("name").getAsString()).isEqualTo("app");
    assertThat(app.get("startTime").getAsString()).isEqualTo("2026-11-28T06:59:10Z");
    assertThat(app.getAsJsonObject("memory").get("workingSetBytes").getAsLong()).isEqualTo(64L << 20);
    assertThat(app.getAsJsonObject("cpu").get("time").getAsString()).isEqualTo("2026-11-28T07:00:00Z");
  }

  @Test
  void resourceMetricsArePrometheusText() throws Exception {
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    provider.stats = List.of(PodStats.builder().namespace("ns").name("web").uid("uid-1").time(NOW)
        .addContainers(container("app", 250_000_000L, 1_500_000_000L, 1024))
        .build());

    HttpResponse<String> response = client.get("/metrics/resource");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    long millis = NOW.toEpochMilli();
    assertThat(response.body()).contains(
        "# TYPE container_cpu_usage_seconds_total counter\n",
        "container_cpu_usage_seconds_total{container=\"app\",namespace=\"ns\",pod=\"web\"} 1.5 " + millis + "\n",
        "container_memory_working_set_bytes{container=\"app\",namespace=\"ns\",pod=\"web\"} 1024 " + millis + "\n",
        "container_start_time_seconds{container=\"app\",namespace=\"ns\",pod=\"web\"} "
            + NOW.minusSeconds(50).getEpochSecond() + "\n",
        "pod_cpu_usage_seconds_total{namespace=\"ns\",pod=\"web\"} 1.5 " + millis + "\n",
        "pod_memory_working_set_bytes{namespace=\"ns\",pod=\"web\"} 1024 " + millis + "\n",
        "node_cpu_usage_seconds_total 1.5 " + millis + "\n",
        "node_memory_working_set_bytes 1024 " + millis + "\n",
        "scrape_error 0\n");
  }

  @Test
  void failingStatsGiveScrapeErrorOnMetricsAnd500OnSummary() throws Exception {
    provider.statsFailure = new ProviderException("BackendDown", "stats backend unreachable");

    HttpResponse<String> metrics = client.get("/metrics/resource");
    HttpResponse<String> summary = client.get("/stats/summary");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("scrape_error 1\n").doesNotContain("container_");
    assertThat(summary.statusCode()).isEqualTo(500);
    assertThat(summary.body()).contains("BackendDown: stats backend unreachable");
  }

  @Test
  void execRunsACommandAndReturnsItsOutputAndExitCode() throws Exception {
    HttpResponse<String> response =
        client.post("/exec/ns/web/app?command=echo&command=hello%20world&stdin=true", "from stdin");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject result = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(result.get("exitCode").getAsInt()).isEqualTo(2);
    assertThat(result.get("stdout").getAsString()).isEqualTo("echo hello world");
    assertThat(result.get("stderr").getAsString()).isEqualTo("from stdin");
    assertThat(result.get("truncated").getAsBoolean()).isFalse();
  }

  @Test
  void execOutputIsCutAt4MiBAndSaysSo() throws Exception {
    HttpResponse<String> response = client.post("/exec/ns/web/app?command=flood", "");

    JsonObject result = JsonParser.parseString(response.body()).getAsJsonObject();
    assertThat(result.get("stdout").getAsString()).hasSize(ExecEndpoint.MAX_OUTPUT_BYTES);
    assertThat(result.get("truncated").getAsBoolean()).isTrue();
    assertThat(result.get("exitCode").getAsInt()).isZero();
  }

  @Test
  void execWithoutCommandIs400AndInteractiveExecIs501() throws Exception {
    assertThat(client.post("/exec/ns/web/app", "").statusCode()).isEqualTo(400);
    assertThat(client.post("/exec/ns/web/other?command=ls", "").statusCode()).isEqualTo(404);
    assertThat(client.get("/exec/ns/web/app?command=ls").statusCode()).isEqualTo(405);
    assertThat(client.rawStatusLine("POST /exec/ns/web/app?command=sh HTTP/1.1\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1")).startsWith("HTTP/1.1 501");
  }

  @Test
  void providerWithoutCapabilitiesGets501() throws Exception {
    try (KubeletApiServer bare = KubeletApiServer.start(new BareProvider(), List::of,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      HttpsTestClient bareClient = new HttpsTestClient(bare.port());

      HttpResponse<String> logs = bareClient.get("/containerLogs/ns/web/app");
      assertThat(logs.statusCode()).isEqualTo(501);
      assertThat(logs.body()).contains("does not serve container logs");
      assertThat(bareClient.get("/stats/summary").statusCode()).isEqualTo(501);
      assertThat(bareClient.get("/metrics/resource").statusCode()).isEqualTo(501);
      assertThat(bareClient.post("/exec/ns/web/app?command=ls", "").statusCode()).isEqualTo(501);
      assertThat(bareClient.get("/pods").statusCode()).isEqualTo(200);
    }
  }

  private static ContainerStats container(String name, long nanoCores, long coreNanos, long workingSet) {
    return ContainerStats.builder().name(name).time(NOW)
        .cpuUsageNanoCores(nanoCores).cpuUsageCoreNanoSeconds(coreNanos).memoryWorkingSetBytes(workingSet)
        .build();
  }

  /** Only the mandatory part of the SPI. */
  private static final class BareProvider implements Provider {
    @Override
    public void createPod(V1Pod pod) {}

    @Override
    public void updatePod(V1Pod pod) {}

    @Override
    public void deletePod(V1Pod pod) {}

    @Override
    public Optional<V1Pod> getPod(String namespace, String name) {
      return Optional.empty();
    }

    public Optional<V1PodStatus> getPodStatus(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public List<V1Pod> listPods() {
      return List.of();
    }
  }
}
