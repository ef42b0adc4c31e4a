package io.vk4j.runtime.internal.kubelet;

import com.google.common.base.Ticker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API server's answers to reviews, as a test wants them: {@code alice-token} is alice (allowed
 * everything), {@code bob-token} is bob (allowed nothing), anything else is unknown. Records the
 * reviews asked for, and keeps a clock the caches read.
 */
final class FakeReviews implements Reviews {
  static final User ALICE = new User("alice", "uid-alice", List.of("devs"), Map.of());
  static final User BOB = new User("bob", "uid-bob", List.of(), Map.of());

  final List<String> tokenReviews = new CopyOnWriteArrayList<>();
  final List<String> accessReviews = new CopyOnWriteArrayList<>();
  final AtomicLong nanos = new AtomicLong();
  final Ticker ticker = new Ticker() {
    @Override
    public long read() {
      return nanos.get();
    }
  };
  volatile boolean unreachable;

  @Override
  public Optional<User> tokenReview(String token) throws ReviewFailedException {
    tokenReviews.add(token);
    if (unreachable) {
      throw new ReviewFailedException("connection refused", null);
    }
    return switch (token) {
      case "alice-token" -> Optional.of(ALICE);
      case "bob-token" -> Optional.of(BOB);
      default -> Optional.empty();
    };
  }

  @Override
  public Decision accessReview(User user, RequestAttributes attributes) {
    accessReviews.add(user.name() + " " + attributes.verb() + " nodes/" + attributes.subresource() + " "
        + attributes.nodeName());
    return new Decision(!user.name().equals("bob"), user.name().equals("bob") ? "no RBAC rule for bob" : "");
  }

  void advance(java.time.Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
