package io.vk4j.runtime.internal.pod;

import static io.vk4j.runtime.internal.pod.TestPods.T0;
import static io.vk4j.runtime.internal.pod.TestPods.pod;
import static io.vk4j.runtime.internal.pod.TestPods.running;
import static io.vk4j.runtime.internal.pod.TestPods.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.RetryableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The controller with its workers, against an in-memory cache, a scripted provider and a recording writer. */
class PodControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ScriptedProvider provider = new ScriptedProvider();
  private final FakePodCache cache = new FakePodCache();
  private final RecordingWriter writer = new RecordingWriter();
  private final RecordingEvents events = new RecordingEvents();
  private final PodController controller = new PodController("vk-1", "scripted", provider, TestPods.env(), events,
      cache, writer, new PodController.Settings(2, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(5),
          Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofSeconds(10)), Clock.systemUTC());

  @AfterEach
  void close() {
    controller.close();
  }

  private long writesOf(String name) {
    return writer.written.stream().filter(p -> p.getMetadata().getName().equals(name)).count();
  }

  /** Two pods the provider runs, their Running status written. */
  private void twoRunningPods() {
    cache.put(pod("a"));
    cache.put(pod("b"));
    controller.start();
    await().atMost(WAIT).until(() -> controller.ready().isDone());
    await().atMost(WAIT).until(() -> provider.pods.size() == 2);
    provider.report("ns/a", running(T0, 0));
    provider.report("ns/b", running(T0, 0));
    controller.podStatusChanged(pod("a"));
    controller.podStatusChanged(pod("b"));
    await().atMost(WAIT).until(() -> writesOf("a") == 1 && writesOf("b") == 1);
  }

  @Test
  void podsBoundWhileTheProviderCannotListGetAnEventAndStartOnceItCan() {
    provider.listFailures.add(new RetryableException("BadCredentials", "the secret key is wrong"));
    cache.put(pod("early"));

    controller.start();

    await().atMost(WAIT).until(() -> events.lines.stream().anyMatch(l -> l.startsWith("Warning NodeNotReady")));
    assertThat(events.lines).contains("Warning NodeNotReady: Virtual node vk-1 is not ready: listing the provider's"
        + " pods failed: the secret key is wrong; the pod starts once the node is ready");
    assertThat(controller.ready()).isNotDone();
    assertThat(controller.startupProblem()).contains("the secret key is wrong");
    assertThat(provider.calls).doesNotContain("create ns/early");

    await().atMost(WAIT).until(() -> controller.ready().isDone());
    await().atMost(WAIT).until(() -> provider.calls.contains("create ns/early"));
    assertThat(controller.startupProblem()).isNull();
  }

  @Test
  void aStatusSomeoneElseWroteIsCorrectedAtOnceAndPodsAlreadyRightCostNoWrite() {
    twoRunningPods();
    V1Pod a = cache.get("ns/a");
    V1PodStatus markedNotReady = ModelCopy.of(a.getStatus());
    markedNotReady.setConditions(List.of(TestPods.condition("Ready", "False", T0.plusMinutes(1)),
        TestPods.condition("ContainersReady", "True", T0)));
    V1Pod marked = withStatus(a, markedNotReady);
    marked.getMetadata().setResourceVersion("999");

    cache.put(marked); // the node lifecycle controller's write, as the watch delivers it

    await().atMost(WAIT).until(() -> writesOf("a") == 2);
    assertThat(cache.get("ns/a").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));

    controller.resyncAll(); // as after the node's heartbeat is accepted again: nothing to write
    await().pollDelay(Duration.ofMillis(300)).atMost(WAIT).until(() -> true);
    assertThat(writesOf("a")).isEqualTo(2);
    assertThat(writesOf("b")).isEqualTo(1);
  }

  @Test
  void theStartUpSweepAdoptsTheProvidersPodsAndDeletesTheOrphans() {
    V1Pod adopted = pod("adopted");
    provider.pods.put("ns/adopted", withStatus(adopted, running(T0, 0)));
    provider.pods.put("ns/orphan", withStatus(pod("orphan"), running(T0, 0)));
    cache.put(withStatus(adopted, running(T0, 0)));

    controller.start();

    await().atMost(WAIT).until(() -> controller.ready().isDone());
    assertThat(provider.calls).contains("delete ns/orphan").doesNotContain("create ns/adopted", "delete ns/adopted");
  }
}
