package io.vk4j.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.Provider;
import io.vk4j.api.RetryableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingMonitorTest {
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile String mode = "ok";

  private final Provider provider = new Provider() {
    @Override
    public void ping() throws RetryableException {
      switch (mode) {
        case "hang" -> {
          try {
            release.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        case "fail" -> throw new RetryableException("BackendDown", "backend unreachable");
        default -> { }
      }
    }

    @Override public void createPod(V1Pod pod) {}
    @Override public void updatePod(V1Pod pod) {}
    @Override public void deletePod(V1Pod pod) {}
    @Override public Optional<V1Pod> getPod(String namespace, String name) {
      return Optional.empty();
    }
    @Override public List<V1Pod> listPods() {
      return List.of();
    }
  };

  private final PingMonitor monitor = new PingMonitor(provider, "vk-1", Duration.ofMillis(200), caller,
      problem -> changes.add(String.valueOf(problem)));

  @AfterEach
  void stop() {
    release.countDown();
    caller.shutdownNow();
  }

  @Test
  void aHangingPingFailsAfterItsTimeoutAndIsNotStartedTwice() throws Exception {
    mode = "hang";
    monitor.ping();
    monitor.ping();

    assertThat(changes).containsExactly("provider ping did not answer within PT0.2S",
        "provider ping has not returned for more than PT0.2S");

    mode = "ok";
    release.countDown();
    caller.submit(() -> null).get(10, TimeUnit.SECONDS); // after the hung call
    monitor.ping();
    assertThat(changes).endsWith("null");
    assertThat(monitor.problem()).isNull();
  }

  @Test
  void aFailingPingSaysWhyOnceUntilItChanges() throws Exception {
    mode = "fail";
    monitor.ping();
    monitor.ping();
    mode = "ok";
    monitor.ping();

    assertThat(changes).containsExactly("provider ping failed: backend unreachable", "null");
  }
}
