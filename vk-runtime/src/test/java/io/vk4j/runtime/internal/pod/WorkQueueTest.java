package io.vk4j.runtime.internal.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final WorkQueue<String> queue =
      new WorkQueue<>(timer, Duration.ofMillis(5), Duration.ofSeconds(1000), new TokenBucket(10, 100));

  @AfterEach
  void stop() {
    queue.shutDown();
    timer.shutdownNow();
  }

  @Test
  void deduplicatesKeysNotYetTaken() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.take()).isEqualTo("b");
  }

  @Test
  void keyAddedWhileProcessingIsQueuedAgainOnlyAfterDone() throws Exception {
    queue.add("a");
    String taken = queue.take();
    queue.add("a");
    assertThat(queue.size()).as("not handed to a second worker while in process").isZero();
    queue.done(taken);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.take()).isEqualTo("a");
  }

  @Test
  void neverHandsOneKeyToTwoWorkersAtOnce() throws Exception {
    AtomicInteger inProcess = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    List<Thread> workers = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread worker = new Thread(() -> {
        try {
          String key;
          while ((key = queue.take()) != null) {
            maxSeen.accumulateAndGet(inProcess.incrementAndGet(), Math::max);
            Thread.onSpinWait();
            inProcess.decrementAndGet();
            processed.incrementAndGet();
            queue.done(key);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (int i = 0; i < 2000; i++) {
      queue.add("same");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.size() == 0 && inProcess.get() == 0);
    queue.shutDown();
    for (Thread worker : workers) {
      worker.join(10_000);
    }
    assertThat(maxSeen.get()).isEqualTo(1);
    assertThat(processed.get()).isBetween(1, 2000);
  }

  @Test
  void backoffGrowsPerKeyAndForgetResetsIt() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    assertThat(queue.failures("a")).isEqualTo(3);
    assertThat(queue.failures("b")).isZero();
    queue.forget("a");
    assertThat(queue.failures("a")).isZero();
  }

  @Test
  void rateLimitedKeyComesBackAfterItsDelay() throws Exception {
    queue.addRateLimited("a", Duration.ofMillis(200));
    assertThat(queue.size()).isZero();
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.size() == 1);
    assertThat(queue.take()).isEqualTo("a");
  }

  @Test
  void earlierDelayedAddWins() {
    queue.addAfter("a", Duration.ofHours(1));
    queue.addAfter("a", Duration.ofMillis(50));
    await().atMost(Duration.ofSeconds(60)).until(() -> queue.size() == 1);
  }

  @Test
  void shutDownReleasesWaitingWorkers() throws Exception {
    Thread waiter = new Thread(() -> {
      try {
        assertThat(queue.take()).isNull();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    queue.shutDown();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
  }

  @Test
  void tokenBucketAllowsBurstThenDelays() {
    TokenBucket bucket = new TokenBucket(1, 3);
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isPositive();
    assertThat(bucket.tryAcquire()).isFalse();
  }
}
