package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.testkit.time.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recorder against an in-memory sink that can fail like an API server. */
class EventRecorderTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final V1Pod POD = new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name("web").uid("u-1"));

  /** Records creates and patches; fails the next calls as told. */
  private static final class Sink implements EventSink {
    final List<CoreV1Event> created = new CopyOnWriteArrayList<>();
    final List<String> patches = new CopyOnWriteArrayList<>();
    final AtomicInteger unreachableFor = new AtomicInteger();
    volatile int answer;

    private void fail() throws ApiException {
      if (unreachableFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new ApiException(new ConnectException("Failed to connect to /127.0.0.1:6443"));
      }
      if (answer != 0) {
        throw new ApiException(answer, java.util.Map.of(), "{\"message\":\"scripted\"}");
      }
    }

    @Override
    public void create(CoreV1Event event) throws ApiException {
      fail();
      created.add(event);
    }

    @Override
    public void patch(String namespace, String name, String mergePatch) throws ApiException {
      fail();
      patches.add(mergePatch);
    }
  }

  // 09:46:00: OffsetDateTime.toString() would drop the seconds ("2026-12-01T09:46Z")
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:46:00Z"));
  private final Sink sink = new Sink();
  private final EventRecorder recorder = new EventRecorder(sink, "vk4j", "vk-1", EventRecorder.Limits.unlimited(100), clock);

  @AfterEach
  void close() {
    recorder.close();
  }

  @Test
  void theLastTimestampOfARepeatIsRfc3339WithSeconds() {
    recorder.warning(POD, "BackOff", "Back-off restarting failed container");
    await().atMost(WAIT).until(() -> sink.created.size() == 1);

    recorder.warning(POD, "BackOff", "Back-off restarting failed container");
    await().atMost(WAIT).until(() -> sink.patches.size() == 1);

    JsonObject patch = JsonParser.parseString(sink.patches.get(0)).getAsJsonObject();
    assertThat(patch.get("count").getAsInt()).isEqualTo(2);
    // the API server rejects "2026-12-01T09:46Z" (422): the seconds must be there
    assertThat(patch.get("lastTimestamp").getAsString())
        .matches("2026-12-01T09:46:00(\\.0+)?Z")
        .satisfies(t -> assertThat(Instant.parse(t)).isEqualTo(clock.instant()));
  }

  @Test
  void eventsWrittenDuringAnOutageAreRetriedWithBackoffAndNoneIsLost() {
    sink.unreachableFor.set(3);

    recorder.warning(POD, "ProviderCreateFailed", "backend down");
    recorder.normal(POD, "ProviderCreated", "Created in provider fake");

    await().atMost(WAIT).until(() -> sink.created.size() == 2);
    assertThat(sink.created).extracting(CoreV1Event::getReason).containsExactly("ProviderCreateFailed", "ProviderCreated");
  }

  @Test
  void anEventTheApiServerRejectsIsDroppedAndTheNextOnesStillGo() {
    sink.answer = 422;
    recorder.warning(POD, "Bad", "rejected");
    await().atMost(WAIT).until(() -> recorder.backlog() == 0);
    sink.answer = 0;
    recorder.normal(POD, "Good", "accepted");

    await().atMost(WAIT).until(() -> sink.created.size() == 1);
    assertThat(sink.created.get(0).getReason()).isEqualTo("Good");
  }

  @Test
  void afterItsBurstTheNodeSendsNoFasterThanItsRateAndWarningsKeepTheirPlaceInAFullQueue() {
    // a burst of 2, then one Event every 1,000 s: nothing more is sent while the test runs
    try (EventRecorder limited = new EventRecorder(sink, "vk4j", "vk-1", new EventRecorder.Limits(2, 0.001, 2), clock)) {
      for (int i = 1; i <= 2; i++) {
        int sent = i;
        limited.normal(pod(i), "Started", "Started container c");
        await().atMost(WAIT).until(() -> sink.created.size() == sent);
      }
      // the third is taken by the sender, waiting for a token; two more fill the queue
      limited.normal(pod(3), "Started", "Started container c");
      await().atMost(WAIT).until(() -> limited.backlog() == 0);
      limited.normal(pod(4), "Started", "Started container c");
      limited.normal(pod(5), "Started", "Started container c");
      await().atMost(WAIT).until(() -> limited.backlog() == 2);

      limited.warning(pod(6), "ProviderCreateFailed", "no stock");
      limited.normal(pod(7), "Started", "Started container c");

      await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> sink.created.size() == 2);
      assertThat(limited.backlog()).isEqualTo(2);
    }
  }

  private static V1Pod pod(int i) {
    return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name("web-" + i).uid("u-" + i));
  }
}
