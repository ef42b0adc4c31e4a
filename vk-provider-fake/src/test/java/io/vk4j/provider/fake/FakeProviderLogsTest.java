package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.ProviderException;
import io.vk4j.testkit.conformance.ConformancePods;
import io.vk4j.testkit.time.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeProviderLogsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.500Z");
  private static final String STARTED = "fake container main started (image busybox:1.36)\n";

  private final MutableClock clock = new MutableClock(T0);
  private FakeProvider provider = new FakeProvider(FakeProviderOptions.builder()
      .startDelay(Duration.ZERO).clock(clock).restartBackoff(Duration.ofMillis(100)).build());

  @AfterEach
  void close() {
    provider.close();
  }

  private V1Pod running(V1Pod pod) throws Exception {
    provider.createPod(ConformancePods.copy(pod));
    await().atMost(WAIT).until(() -> "Running".equals(provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow().getPhase()));
    return pod;
  }

  private String read(V1Pod pod, ContainerLogOptions options) throws ProviderException {
    try (InputStream in = provider.containerLogs(ContainerRef.of(ns(pod), name(pod), "main"), options)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tailLinesKeepsTheLastLines() throws Exception {
    V1Pod pod = running(Pods.pod(FakeAnnotations.LOG, "a\nb\nc"));

    assertThat(read(pod, ContainerLogOptions.builder().tailLines(2).build())).isEqualTo("b\nc\n");
    assertThat(read(pod, ContainerLogOptions.builder().tailLines(0).build())).isEmpty();
  }

  @Test
  void limitBytesCutsTheOutput() throws Exception {
    V1Pod pod = running(Pods.pod(FakeAnnotations.LOG, "a\nb\nc"));

    assertThat(read(pod, ContainerLogOptions.builder().limitBytes(5).build())).isEqualTo("fake ");
  }

  @Test
  void timestampsPrefixEachLine() throws Exception {
    V1Pod pod = running(Pods.pod(FakeAnnotations.LOG, "a"));

    assertThat(read(pod, ContainerLogOptions.builder().timestamps(true).build()))
        .isEqualTo("2026-01-01T00:00:00.500Z " + STARTED + "2026-01-01T00:00:00.500Z a\n");
  }

  @Test
  void sinceTimeAndSinceSecondsSkipOlderLines() throws Exception {
    V1Pod pod = running(Pods.pod(FakeAnnotations.LOG, "early"));
    clock.advance(Duration.ofSeconds(100));
    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
    String late = "received SIGTERM, stopping\nfake container main exited with code 0\n";

    assertThat(read(pod, ContainerLogOptions.builder().sinceTime(T0.plusSeconds(50)).build())).isEqualTo(late);
    assertThat(read(pod, ContainerLogOptions.builder().sinceSeconds(10).build())).isEqualTo(late);
    assertThat(read(pod, ContainerLogOptions.builder().sinceTime(T0).build())).isEqualTo(STARTED + "early\n" + late);
  }

  @Test
  void followStreamsNewLinesAndEndsWhenTheContainerTerminates() throws Exception {
    V1Pod pod = running(Pods.pod());
    InputStream follow = provider.containerLogs(ContainerRef.of(ns(pod), name(pod), "main"),
        ContainerLogOptions.builder().follow(true).tailLines(0).build());
    CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
      try (follow) {
        return new String(follow.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));

    await().atMost(WAIT).until(all::isDone);
    assertThat(all.join()).isEqualTo("received SIGTERM, stopping\nfake container main exited with code 0\n");
  }

  @Test
  void followEndsWhenTheReaderClosesTheStream() throws Exception {
    V1Pod pod = running(Pods.pod());
    InputStream follow = provider.containerLogs(ContainerRef.of(ns(pod), name(pod), "main"),
        ContainerLogOptions.builder().follow(true).build());
    byte[] first = new byte[STARTED.length()];
    assertThat(follow.readNBytes(first, 0, first.length)).isEqualTo(first.length);
    CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
      try {
        return follow.read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    follow.close();

    await().atMost(WAIT).until(next::isDone);
    assertThat(next.join()).isEqualTo(-1);
    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(STARTED);
  }

  @Test
  void followWithLimitBytesStopsAtTheLimit() throws Exception {
    V1Pod pod = running(Pods.pod());

    assertThat(read(pod, ContainerLogOptions.builder().follow(true).limitBytes(4).build())).isEqualTo("fake");
  }

  @Test
  void previousIsTheLogOfTheTerminatedInstance() throws Exception {
    V1Pod pod = Pods.withRestartPolicy(Pods.pod(FakeAnnotations.EXIT_AFTER, "50ms", FakeAnnotations.EXIT_CODE, "2",
        FakeAnnotations.LOG, "working"), "OnFailure");
    provider.createPod(ConformancePods.copy(pod));
    await().atMost(WAIT).until(() -> provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow()
        .getContainerStatuses().get(0).getRestartCount() >= 1);

    assertThat(read(pod, ContainerLogOptions.builder().previous(true).build()))
        .isEqualTo(STARTED + "working\nfake container main exited with code 2\n");
  }

  @Test
  void previousOfAContainerThatNeverRestartedIsNotFound() throws Exception {
    V1Pod pod = running(Pods.pod());

    assertThatThrownBy(() -> read(pod, ContainerLogOptions.builder().previous(true).build()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("previous terminated container");
  }

  @Test
  void unknownPodsAndContainersAreNotFoundAndWaitingContainersInvalid() throws Exception {
    V1Pod pod = running(Pods.pod());
    assertThatThrownBy(() -> provider.containerLogs(ContainerRef.of(ns(pod), name(pod), "nope"), ContainerLogOptions.defaults()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> provider.containerLogs(ContainerRef.of(ns(pod), "nope", "main"), ContainerLogOptions.defaults()))
        .isInstanceOf(NotFoundException.class);

    V1Pod waiting = Pods.pod(FakeAnnotations.START_DELAY, "1h");
    provider.createPod(ConformancePods.copy(waiting));
    assertThatThrownBy(() -> read(waiting, ContainerLogOptions.defaults()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("waiting to start");
  }

  @Test
  void theBufferKeepsOnlyTheLastLines() throws Exception {
    provider.close();
    provider = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).logLinesPerContainer(3).build());
    V1Pod pod = running(Pods.pod(FakeAnnotations.LOG, "1\n2\n3\n4\n5"));

    assertThat(read(pod, ContainerLogOptions.defaults())).isEqualTo("3\n4\n5\n");
  }
}
