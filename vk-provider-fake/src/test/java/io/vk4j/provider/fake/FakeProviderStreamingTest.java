package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodRef;
import io.vk4j.api.ProviderException;
import io.vk4j.testkit.conformance.ConformancePods;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attach and port-forward of the in-memory provider. */
class FakeProviderStreamingTest {
  private final FakeProvider provider = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).build());

  @AfterEach
  void close() {
    provider.close();
  }

  private V1Pod running(Map<String, String> annotations) throws Exception {
    return running(annotations, "Always");
  }

  private V1Pod running(Map<String, String> annotations, String restartPolicy) throws Exception {
    V1Pod pod = Pods.withRestartPolicy(Pods.pod(), restartPolicy);
    pod.getMetadata().setAnnotations(annotations);
    pod.getSpec().getContainers().get(0).addPortsItem(new V1ContainerPort().name("web").containerPort(8080))
        .addPortsItem(new V1ContainerPort().name("db").containerPort(5432));
    provider.createPod(ConformancePods.copy(pod));
    await().atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(provider.getPod(ns(pod), name(pod)).orElseThrow().getStatus().getPhase()));
    return pod;
  }

  @Test
  void attachShowsWhatIsTypedOnStdinAndDetachesWhenStdinEnds() throws Exception {
    V1Pod pod = running(Map.of());
    TestAttachIO io = new TestAttachIO("first\nsecond\n", false);

    CompletableFuture<Void> session = CompletableFuture.runAsync(() -> {
      try {
        provider.attachToContainer(ContainerRef.of(ns(pod), name(pod), "main"), io);
      } catch (ProviderException e) {
        throw new IllegalStateException(e);
      }
    });

    session.get(30, TimeUnit.SECONDS);
    assertThat(io.out()).isEqualTo("first\nsecond\n");
  }

  @Test
  void attachEndsWhenTheContainerStops() throws Exception {
    V1Pod pod = running(Map.of(FakeAnnotations.EXIT_AFTER, "1s"), "Never");
    PipedOutputStream keyboard = new PipedOutputStream(); // stdin stays open
    TestAttachIO io = TestAttachIO.withStdin(new PipedInputStream(keyboard));

    provider.attachToContainer(ContainerRef.of(ns(pod), name(pod), "main"), io);

    assertThat(io.out()).contains("exited with code 0");
    await().atMost(Duration.ofSeconds(60))
        .until(() -> "Succeeded".equals(provider.getPod(ns(pod), name(pod)).orElseThrow().getStatus().getPhase()));
    assertThatThrownBy(() -> provider.attachToContainer(ContainerRef.of(ns(pod), name(pod), "main"), io))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo("ContainerNotRunning"));
  }

  @Test
  void portForwardEchoesOrAnswersHttpAsThePortsSay() throws Exception {
    V1Pod pod = running(Map.of(FakeAnnotations.PORTS, "80=http,7000=echo"));
    PodRef ref = PodRef.of(ns(pod), name(pod));

    ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    provider.portForward(ref, 7000, new ByteArrayInputStream("ping\n".getBytes(StandardCharsets.UTF_8)), echoed);
    assertThat(echoed.toString(StandardCharsets.UTF_8)).isEqualTo("ping\n");

    ByteArrayOutputStream http = new ByteArrayOutputStream();
    provider.portForward(ref, 80, new ByteArrayInputStream(("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        .getBytes(StandardCharsets.UTF_8)), http);
    assertThat(http.toString(StandardCharsets.UTF_8))
        .contains("HTTP/1.1 200 OK", "fake pod " + ns(pod) + "/" + name(pod) + " port 80: GET /a\n",
            "port 80: POST /b\n", "Connection: close");

    assertThatThrownBy(() -> provider.portForward(ref, 8080, new ByteArrayInputStream(new byte[0]), echoed))
        .as("only the annotated ports listen").hasMessageContaining("nothing listens on port 8080");
  }

  @Test
  void withoutTheAnnotationTheDeclaredPortsAreServed() throws Exception {
    V1Pod pod = running(Map.of());
    PodRef ref = PodRef.of(ns(pod), name(pod));

    ByteArrayOutputStream web = new ByteArrayOutputStream();
    provider.portForward(ref, 8080, new ByteArrayInputStream("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8)),
        web);
    assertThat(web.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200 OK");
    ByteArrayOutputStream db = new ByteArrayOutputStream();
    provider.portForward(ref, 5432, new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)), db);
    assertThat(db.toString(StandardCharsets.UTF_8)).isEqualTo("x");
    assertThatThrownBy(() -> provider.portForward(ref, 9999, new ByteArrayInputStream(new byte[0]), db))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo("ConnectionRefused"));
  }

  @Test
  void aBadPortsAnnotationFailsTheCreateWithAReason() {
    V1Pod pod = Pods.pod();
    pod.getMetadata().setAnnotations(Map.of(FakeAnnotations.PORTS, "80=ftp"));

    assertThatThrownBy(() -> provider.createPod(pod)).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.getMessage()).contains("fake.vk4j.io/ports").contains("80=ftp"));
  }
}
