package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private final EventQueue<String> queue = new EventQueue<>(3);

  @Test
  void warningsAreTakenBeforeNormalEventsEachInTheOrderQueued() throws InterruptedException {
    queue.offer("n1", false);
    queue.offer("w1", true);
    queue.offer("n2", false);

    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("w1");
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("n1");
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("n2");
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void whenFullANormalEventIsRefusedAndAWarningTakesThePlaceOfTheOldestNormalOne() throws InterruptedException {
    assertThat(queue.offer("n1", false)).isNull();
    assertThat(queue.offer("n2", false)).isNull();
    assertThat(queue.offer("w1", true)).isNull();

    assertThat(queue.offer("n3", false)).isEqualTo("n3");
    assertThat(queue.offer("w2", true)).isEqualTo("n1");
    assertThat(queue.offer("w3", true)).isEqualTo("n2");
    assertThat(queue.offer("w4", true)).as("no Normal Event left to replace").isEqualTo("w4");

    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("w1");
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("w2");
    assertThat(queue.poll(0, TimeUnit.SECONDS)).isEqualTo("w3");
  }
}
