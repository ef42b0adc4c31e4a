package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.ContainerStats;
import io.vk4j.api.PodStats;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.runtime.KubeletApiOptions;
import io.vk4j.server.KeyMaterial;
import io.vk4j.server.SelfSignedCertificates;
import io.vk4j.testkit.tls.TestTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet API's HTTP side: who gets in, what each endpoint answers, and its limits. */
class KubeletApiServerTest {
  static final String NODE = "vk-test";
  private static final ContainerRef APP = ContainerRef.of("ns", "web", "app");
  private static final Instant NOW = Instant.parse("2026-11-28T07:00:00Z");

  private final TestProvider provider = new TestProvider();
  private final List<V1Pod> podsOnNode = new CopyOnWriteArrayList<>();
  private final FakeReviews reviews = new FakeReviews();
  private final List<AutoCloseable> servers = new ArrayList<>();
  private KubeletApiServer server;
  private HttpsTestClient alice;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : servers) {
      closeable.close();
    }
  }

  private KubeletApiServer start(KubeletApiOptions options, Provider provider) throws Exception {
    KubeletApiServer started = KubeletApiServer.start(new KubeletApiServer.Address(NODE, "127.0.0.1", "127.0.0.1", 0),
        options, provider, () -> List.copyOf(podsOnNode), reviews, reviews.ticker);
    servers.add(started);
    return started;
  }

  private void start() throws Exception {
    server = start(KubeletApiOptions.defaults(), provider);
    alice = new HttpsTestClient(server.port(), "alice-token");
  }

  private HttpsTestClient client(String token) throws Exception {
    return new HttpsTestClient(server.port(), token);
  }

  static V1Pod pod(String namespace, String name, String uid, String phase) {
    return new V1Pod()
        .metadata(new V1ObjectMeta().namespace(namespace).name(name).uid(uid))
        .spec(new V1PodSpec().nodeName(NODE).addContainersItem(new V1Container().name("app").image("nginx")))
        .status(new V1PodStatus().phase(phase)
            .startTime(OffsetDateTime.ofInstant(NOW.minusSeconds(60), ZoneOffset.UTC))
            .addContainerStatusesItem(new V1ContainerStatus().name("app").image("nginx").imageID("").ready(true).restartCount(0)
                .state(new V1ContainerState().running(
                    new V1ContainerStateRunning().startedAt(OffsetDateTime.ofInstant(NOW.minusSeconds(50), ZoneOffset.UTC))))));
  }

  // --- who gets in ---

  @Test
  void healthzIsTheOnlyPathOpenToAnyone() throws Exception {
    start();
    HttpsTestClient anonymous = client(null);

    assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(anonymous.get("/healthz").body()).isEqualTo("ok");
    for (String path : List.of("/pods", "/runningpods/", "/containerLogs/ns/web/app", "/stats/summary",
        "/metrics/resource", "/metrics/cadvisor", "/healthz/extra", "/nothing")) {
      HttpResponse<String> response = anonymous.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.body()).as(path).startsWith("Unauthorized");
    }
    assertThat(anonymous.raw("POST /exec/ns/web/app?command=ls&output=1 HTTP/1.1\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io"))
        .startsWith("HTTP/1.1 401").contains("\"kind\":\"Status\"").contains("Unauthorized");
    assertThat(provider.logRequests).isEmpty();
    assertThat(reviews.accessReviews).isEmpty();
  }

  @Test
  void aMadeUpTokenIs401AndAnUnauthorizedUserIs403NamingWhatIsMissing() throws Exception {
    start();

    HttpResponse<String> madeUp = client("made-up").get("/pods");
    assertThat(madeUp.statusCode()).isEqualTo(401);
    assertThat(madeUp.body()).contains("invalid bearer token");
    HttpResponse<String> bob = client("bob-token").get("/stats/summary");
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.body()).isEqualTo("Forbidden (user=bob, verb=get, resource=nodes, subresource(s)=[stats])\n");
    assertThat(alice.get("/pods").statusCode()).isEqualTo(200);
  }

  @Test
  void everyRequestIsAuthorizedWithTheKubeletsAttributes() throws Exception {
    start();
    provider.log(APP, "x");

    alice.get("/containerLogs/ns/web/app");
    alice.get("/stats/summary");
    alice.get("/metrics/resource");
    alice.post("/pods", "");
    alice.get("/pods"); // what alice may do is known by now

    assertThat(reviews.accessReviews).containsExactly(
        "alice get nodes/proxy vk-test",
        "alice get nodes/stats vk-test",
        "alice get nodes/metrics vk-test",
        "alice create nodes/proxy vk-test");
    assertThat(RequestAttributes.subresource("/logs/kubelet.log")).isEqualTo("log");
    assertThat(RequestAttributes.subresource("/spec/")).isEqualTo("spec");
    assertThat(RequestAttributes.subresource("/statsfoo")).isEqualTo("proxy");
  }

  @Test
  void reviewsAreCachedAsTheKubeletCachesThem() throws Exception {
    start();
    HttpsTestClient bob = client("bob-token");
    HttpsTestClient madeUp = client("made-up");
    for (int i = 0; i < 3; i++) {
      alice.get("/pods");
      bob.get("/pods");
      madeUp.get("/pods");
    }
    assertThat(reviews.tokenReviews).containsExactlyInAnyOrder("alice-token", "bob-token", "made-up");
    assertThat(reviews.accessReviews).hasSize(2);

    reviews.advance(Duration.ofSeconds(31)); // a denial is remembered 30 s, an allowance 5 min
    alice.get("/pods");
    bob.get("/pods");
    assertThat(reviews.accessReviews).hasSize(3).last().asString().startsWith("bob");

    reviews.advance(Duration.ofSeconds(90)); // tokens are remembered 2 min
    alice.get("/pods");
    assertThat(reviews.tokenReviews).hasSize(4).last().isEqualTo("alice-token");
  }

  @Test
  void anUnreachableApiServerIs503AndNothingIsCached() throws Exception {
    start();
    reviews.unreachable = true;

    HttpResponse<String> response = alice.get("/pods");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("cannot review the token").contains("connection refused");
    reviews.unreachable = false;
    assertThat(alice.get("/pods").statusCode()).isEqualTo(200);
  }

  @Test
  void clientCertificatesOfTheClientCaAuthenticateOthersDoNot(@TempDir Path dir) throws Exception {
    SelfSignedCertificates.Issued serving = SelfSignedCertificates.issue(NODE, List.of("localhost"), List.of("127.0.0.1"));
    TestCertificates clients = TestCertificates.authority("kubelet-client-ca");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Path clientCa = dir.resolve("client-ca.crt");
    Files.writeString(cert, KeyMaterial.pem(serving.serving().chain().toArray()));
    Files.writeString(key, KeyMaterial.pem(new JcaPKCS8Generator(serving.serving().key(), null)));
    Files.writeString(clientCa, KeyMaterial.pem(clients.certificate()));
    server = start(KubeletApiOptions.builder().tlsCertFile(cert).tlsPrivateKeyFile(key).clientCaFile(clientCa).build(),
        provider);

    KeyMaterial apiServer = clients.client("kube-apiserver-kubelet-client", "system:masters");
    HttpsTestClient trusted = new HttpsTestClient(server.port(), null,
        TestTls.trusting(serving.ca(), apiServer.key(), apiServer.chain()));
    assertThat(trusted.get("/pods").statusCode()).as("verified against the serving CA too").isEqualTo(200);
    assertThat(reviews.accessReviews).containsExactly("kube-apiserver-kubelet-client get nodes/proxy vk-test");

    KeyMaterial admin = TestCertificates.authority("system:admin").client("system:admin", "system:masters");
    HttpResponse<String> refused = new HttpsTestClient(server.port(), null,
        TestTls.trusting(serving.ca(), admin.key(), admin.chain())).get("/pods");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("client certificate refused");
    assertThat(reviews.accessReviews).hasSize(1);
  }

  @Test
  void anonymousRequestsAreAuthorizedAsSystemAnonymousWhenAllowed() throws Exception {
    server = start(KubeletApiOptions.builder().anonymousAuth(true).build(), provider);

    assertThat(client(null).get("/pods").statusCode()).isEqualTo(200);
    assertThat(reviews.accessReviews).containsExactly("system:anonymous get nodes/proxy vk-test");
  }

  // --- what the endpoints answer ---

  @Test
  void podsListsThePodsOnTheNodeAsAPodList() throws Exception {
    start();
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    podsOnNode.add(pod("ns", "db", "uid-2", "Pending"));

    HttpResponse<String> response = alice.get("/pods");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    V1PodList list = JSON.deserialize(response.body(), V1PodList.class);
    assertThat(list.getKind()).isEqualTo("PodList");
    assertThat(list.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("web", "db");
  }

  @Test
  void runningPodsAreTheApiServersCopiesOfTheProvidersNonTerminalPods() throws Exception {
    start();
    V1Pod inApi = pod("ns", "web", "uid-1", "Running");
    inApi.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("DB_PASSWORD").valueFrom(
        new V1EnvVarSource().secretKeyRef(new V1SecretKeySelector().name("db").key("password"))));
    podsOnNode.add(inApi);
    V1Pod resolved = pod("ns", "web", "uid-1", "Running");
    resolved.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("DB_PASSWORD").value("s3cr3t-value"));
    provider.pods.add(resolved);
    V1Pod unknown = pod("ns", "stray", "uid-9", "Running");
    unknown.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("TOKEN").value("another-s3cr3t"));
    provider.pods.add(unknown);
    provider.pods.add(pod("ns", "done", "uid-2", "Succeeded"));

    HttpResponse<String> response = alice.get("/runningpods/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).doesNotContain("s3cr3t").contains("secretKeyRef");
    assertThat(JSON.<V1PodList>deserialize(response.body(), V1PodList.class).getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactly("web", "stray");
  }

  @Test
  void containerLogsPassesTheOptionsAndReturnsTheLog() throws Exception {
    start();
    provider.log(APP, "line 1\nline 2\n");

    HttpResponse<String> response = alice.get("/containerLogs/ns/web/app?tailLines=2&timestamps=true&sinceSeconds=60");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("line 1\nline 2\n");
    assertThat(provider.logRequests).containsExactly(ContainerLogOptions.builder()
        .tailLines(2).timestamps(true).sinceSeconds(60).build());
  }

  @Test
  void containerLogsStopsAtLimitBytesEvenIfTheProviderSendsMore() throws Exception {
    start();
    provider.log(APP, "0123456789");

    assertThat(alice.get("/containerLogs/ns/web/app?limitBytes=4").body()).isEqualTo("0123");
  }

  @Test
  void followStreamsLinesAsTheyAreWritten() throws Exception {
    start();
    PipedOutputStream container = new PipedOutputStream();
    provider.logs.put(APP, new PipedInputStream(container));

    HttpResponse<InputStream> response = alice.getStream("/containerLogs/ns/web/app?follow=true");
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
  void aReadableLogIsFollowedWithoutAThreadWhileIdle() throws Exception {
    start();
    TestReadableLog log = new TestReadableLog();
    provider.logs.put(APP, log);

    HttpResponse<InputStream> response = alice.getStream("/containerLogs/ns/web/app?follow=true");
    BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    log.append("first\n");
    assertThat(lines.readLine()).isEqualTo("first");
    await().atMost(Duration.ofSeconds(30)).until(() -> log.waiting() == 1);
    assertThat(log.blockingReads()).as("every read found bytes: nobody waited inside read()").isZero();

    log.append("second\n");
    assertThat(lines.readLine()).isEqualTo("second");
    log.end();
    assertThat(lines.readLine()).isNull();
  }

  @Test
  void closingTheServerEndsFollowedLogs() throws Exception {
    start();
    PipedOutputStream container = new PipedOutputStream();
    provider.logs.put(APP, new PipedInputStream(container));
    HttpResponse<InputStream> response = alice.getStream("/containerLogs/ns/web/app?follow=1");
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
  void badRequestsGetAReason() throws Exception {
    start();

    HttpResponse<String> badParameter = alice.get("/containerLogs/ns/web/app?tailLines=many");
    assertThat(badParameter.statusCode()).isEqualTo(400);
    assertThat(badParameter.body()).contains("tailLines: not an integer: 'many'");
    HttpResponse<String> unknownContainer = alice.get("/containerLogs/ns/web/nope");
    assertThat(unknownContainer.statusCode()).isEqualTo(404);
    assertThat(unknownContainer.body()).contains("no container ns/web/nope");
    assertThat(alice.get("/containerLogs/ns/web").statusCode()).isEqualTo(404);
    assertThat(alice.get("/nothing/here").statusCode()).isEqualTo(404);
    assertThat(alice.get("/stats/other").statusCode()).isEqualTo(404);
    HttpResponse<String> post = alice.post("/pods", "");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertThat(provider.logRequests).as("only the well-formed request reached the provider").hasSize(1);
  }

  @Test
  void statsSummaryIsShapedLikeTheKubeletsSummary() throws Exception {
    start();
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    provider.stats = List.of(PodStats.builder().namespace("ns").name("web").uid("uid-1").time(NOW)
        .networkRxBytes(100).networkTxBytes(200)
        .addContainers(container("app", 250_000_000L, 5_000_000_000L, 64L << 20))
        .addContainers(container("sidecar", 50_000_000L, 1_000_000_000L, 16L << 20))
        .build());

    HttpResponse<String> response = alice.get("/stats/summary");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject summary = JsonParser.parseString(response.body()).getAsJsonObject();
    JsonObject node = summary.getAsJsonObject("node");
    assertThat(node.get("nodeName").getAsString()).isEqualTo(NODE);
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
  void resourceAndCadvisorMetricsArePrometheusText() throws Exception {
    start();
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    provider.stats = List.of(PodStats.builder().namespace("ns").name("web").uid("uid-1").time(NOW)
        .networkRxBytes(100)
        .addContainers(container("app", 250_000_000L, 1_500_000_000L, 1024))
        .build());

    HttpResponse<String> response = alice.get("/metrics/resource");

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
        "node_memory_working_set_bytes 1024 " + millis + "\n",
        "scrape_error 0\n");
    assertThat(alice.get("/metrics/cadvisor").body()).contains(
        "# TYPE container_cpu_usage_seconds_total counter\n",
        "container_cpu_usage_seconds_total{container=\"app\",image=\"nginx\",namespace=\"ns\",pod=\"web\"} 1.5 "
            + millis + "\n",
        "container_memory_working_set_bytes{container=\"app\",image=\"nginx\",namespace=\"ns\",pod=\"web\"} 1024 "
            + millis + "\n",
        "container_network_receive_bytes_total{container=\"POD\",interface=\"eth0\",namespace=\"ns\",pod=\"web\"} 100 "
            + millis + "\n",
        "container_start_time_seconds{container=\"app\",image=\"nginx\",namespace=\"ns\",pod=\"web\"} "
            + NOW.minusSeconds(50).getEpochSecond() + "\n");
  }

  @Test
  void failingStatsGiveScrapeErrorOnMetricsAnd500OnSummary() throws Exception {
    start();
    provider.statsFailure = new ProviderException("BackendDown", "stats backend unreachable");

    HttpResponse<String> metrics = alice.get("/metrics/resource");
    HttpResponse<String> summary = alice.get("/stats/summary");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("scrape_error 1\n").doesNotContain("container_");
    assertThat(summary.statusCode()).isEqualTo(500);
    assertThat(summary.body()).contains("BackendDown: stats backend unreachable");
  }

  @Test
  void streamingEndpointsNeedAnUpgradeAnExistingContainerAndAProtocolBothSpeak() throws Exception {
    start();
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    String spdy = "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io";

    assertThat(alice.raw("POST /exec/ns/web/app?command=ls&output=1 HTTP/1.1"))
        .startsWith("HTTP/1.1 400").contains("Upgrade request required");
    assertThat(alice.raw("POST /exec/ns/web/app?output=1 HTTP/1.1" + spdy))
        .startsWith("HTTP/1.1 400").contains("at least one 'command' parameter");
    assertThat(alice.raw("POST /exec/ns/gone/app?command=ls&output=1 HTTP/1.1" + spdy))
        .startsWith("HTTP/1.1 404").contains("pod ns/gone not found on node vk-test");
    assertThat(alice.raw("POST /exec/ns/web/other?command=ls&output=1 HTTP/1.1" + spdy))
        .startsWith("HTTP/1.1 404").contains("container other not found in pod ns/web");
    assertThat(alice.raw("POST /exec/ns/web/app?command=ls&output=1 HTTP/1.1\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v1.channel.k8s.io"))
        .startsWith("HTTP/1.1 400").contains("unable to negotiate a streaming protocol");
    assertThat(alice.rawHead("POST /exec/ns/web/app?command=ls&output=1 HTTP/1.1" + spdy))
        .startsWith("HTTP/1.1 101 Switching Protocols").contains("X-Stream-Protocol-Version: v4.channel.k8s.io");
  }

  @Test
  void aProviderWithoutACapabilityGets501SayingSo() throws Exception {
    server = start(KubeletApiOptions.defaults(), new BareProvider());
    alice = new HttpsTestClient(server.port(), "alice-token");
    podsOnNode.add(pod("ns", "web", "uid-1", "Running"));
    String spdy = "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io";

    HttpResponse<String> logs = alice.get("/containerLogs/ns/web/app");
    assertThat(logs.statusCode()).isEqualTo(501);
    assertThat(logs.body()).contains("does not serve container logs");
    assertThat(alice.get("/stats/summary").statusCode()).isEqualTo(501);
    assertThat(alice.get("/metrics/resource").statusCode()).isEqualTo(501);
    assertThat(alice.raw("POST /exec/ns/web/app?command=ls&output=1 HTTP/1.1" + spdy)).startsWith("HTTP/1.1 501")
        .contains("\"reason\":\"NotImplemented\"").contains("exec is not supported by this virtual node's provider");
    assertThat(alice.raw("POST /attach/ns/web/app?output=1 HTTP/1.1" + spdy)).startsWith("HTTP/1.1 501")
        .contains("attach is not supported");
    assertThat(alice.raw("POST /portForward/ns/web HTTP/1.1" + spdy)).startsWith("HTTP/1.1 501")
        .contains("port-forward is not supported");
    assertThat(alice.get("/pods").statusCode()).isEqualTo(200);
  }

  private static ContainerStats container(String name, long nanoCores, long coreNanos, long workingSet) {
    return ContainerStats.builder().name(name).time(NOW)
        .cpuUsageNanoCores(nanoCores).cpuUsageCoreNanoSeconds(coreNanos).memoryWorkingSetBytes(workingSet)
        .build();
  }

  /** Only the mandatory part of the SPI. */
  static final class BareProvider implements Provider {
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

    @Override
    public List<V1Pod> listPods() {
      return List.of();
    }
  }
}
