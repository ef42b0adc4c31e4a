package io.vk4j.runtime.internal.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventAggregatorTest {
  private final EventAggregator aggregator = new EventAggregator(Duration.ofMinutes(10), 2);

  @Test
  void repeatsOfTheSameEventAreFoundOthersAreNot() {
    EventAggregator.Key key = new EventAggregator.Key("uid", "Warning", "Failed", "boom");
    assertThat(aggregator.repeatOf(key)).isNull();
    aggregator.remember(key, new EventAggregator.Sent("ns", "pod.1", 1));
    assertThat(aggregator.repeatOf(new EventAggregator.Key("uid", "Warning", "Failed", "boom")))
        .isNotNull().extracting(s -> s.name).isEqualTo("pod.1");
    assertThat(aggregator.repeatOf(new EventAggregator.Key("uid", "Warning", "Failed", "other"))).isNull();
    assertThat(aggregator.repeatOf(new EventAggregator.Key("uid2", "Warning", "Failed", "boom"))).isNull();
  }

  @Test
  void remembersABoundedNumber() {
    for (int i = 0; i < 10; i++) {
      aggregator.remember(new EventAggregator.Key("uid" + i, "Normal", "R", "m"), new EventAggregator.Sent("ns", "e" + i, 1));
    }
    int remembered = 0;
    for (int i = 0; i < 10; i++) {
      if (aggregator.repeatOf(new EventAggregator.Key("uid" + i, "Normal", "R", "m")) != null) {
        remembered++;
      }
    }
    assertThat(remembered).isLessThanOrEqualTo(2);
  }
}
