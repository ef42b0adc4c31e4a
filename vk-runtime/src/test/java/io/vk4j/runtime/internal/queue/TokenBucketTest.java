package io.vk4j.runtime.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  /** Takes {@code count} tokens, each without a wait. */
  private static void spendAtOnce(TokenBucket bucket, int count, boolean inBursts) {
    for (int i = 0; i < count; i++) {
      assertThat(inBursts ? bucket.reserveInBursts() : bucket.reserve()).as("call %d", i + 1).isZero();
    }
  }

  @Test
  void reserveSpacesCallsEvenlyOnceTheBurstIsSpent() {
    TokenBucket bucket = new TokenBucket(5, 10, now::get);
    spendAtOnce(bucket, 10, false);
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(200));
    assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void reserveInBurstsWaitsForAWholeBurstAndThenLetsItGoAtOnce() {
    TokenBucket bucket = new TokenBucket(5, 10, now::get);
    spendAtOnce(bucket, 10, true);
    // empty: the next caller waits until 10 tokens are back, 2 s at 5 per second
    assertThat(bucket.reserveInBursts()).isEqualTo(Duration.ofSeconds(2));
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    spendAtOnce(bucket, 9, true); // the rest of the second burst
    // 20 calls in 2 s after a full bucket: the rate of reserve, in bursts
    assertThat(bucket.reserveInBursts()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void reserveInBurstsWaitsOnlyForWhatIsMissingOfTheBurst() {
    TokenBucket bucket = new TokenBucket(5, 10, now::get);
    spendAtOnce(bucket, 10, true);
    now.addAndGet(Duration.ofMillis(100).toNanos()); // half a token back
    assertThat(bucket.reserveInBursts()).isEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void tryAcquireNeverBorrows() {
    TokenBucket bucket = new TokenBucket(1, 1, now::get);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(bucket.tryAcquire()).isTrue();
  }
}
