package io.vk4j.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingMonitorTest {
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final NodeTestProvider provider = new NodeTestProvider();

  private final PingMonitor monitor = new PingMonitor(provider, "vk-1", Duration.ofMillis(200), caller,
      problem -> changes.add(String.valueOf(problem)));

  @AfterEach
  void stop() {
    provider.release.countDown();
    caller.shutdownNow();
  }

  @Test
  void aHangingPingFailsAfterItsTimeoutAndIsNotStartedTwice() throws Exception {
    provider.ping = NodeTestProvider.Ping.HANGS;
    monitor.ping();
    monitor.ping();

    assertThat(changes).containsExactly("provider ping did not answer within PT0.2S",
        "provider ping has not returned for more than PT0.2S");

    provider.ping = NodeTestProvider.Ping.ANSWERS;
    provider.release.countDown();
    caller.submit(() -> null).get(10, TimeUnit.SECONDS); // after the hung call
    monitor.ping();
    assertThat(changes).endsWith("null");
    assertThat(monitor.problem()).isNull();
  }

  @Test
  void aFailingPingSaysWhyOnceUntilItChanges() throws Exception {
    provider.ping = NodeTestProvider.Ping.FAILS;
    monitor.ping();
    monitor.ping();
    provider.ping = NodeTestProvider.Ping.ANSWERS;
    monitor.ping();

    assertThat(changes).containsExactly("provider ping failed: backend unreachable", "null");
  }
}
