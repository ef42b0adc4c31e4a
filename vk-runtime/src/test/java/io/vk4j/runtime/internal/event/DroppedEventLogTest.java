package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.slf4j.Logger;

class DroppedEventLogTest {
  private final AtomicLong now = new AtomicLong();
  private final Logger log = Mockito.mock(Logger.class);
  private final DroppedEventLog drops = new DroppedEventLog(log, Duration.ofSeconds(10), now::get);

  @Test
  void aBurstOfDropsIsOneLineWithTheFirstEventThenACountPerPeriod() {
    for (int i = 0; i < 1000; i++) {
      drops.dropped("Normal", "Started", "ns", "web-" + i);
      drops.flush();
    }
    assertThat(Mockito.mockingDetails(log).getInvocations()).as("one line for the first drop").hasSize(1);

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    drops.flush();

    Mockito.verify(log).warn("event queue full: dropped {} more events", (Object) 999L);
    assertThat(Mockito.mockingDetails(log).getInvocations()).hasSize(2);
  }
}
