package io.vk4j.runtime.internal.kubelet;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides whether a user may make a request with a SubjectAccessReview, answers cached as the
 * kubelet caches them: allowed for five minutes, denied for thirty seconds.
 */
final class Authorizer {
  static final Duration ALLOWED_TTL = Duration.ofMinutes(5);
  static final Duration DENIED_TTL = Duration.ofSeconds(30);
  private static final int CACHE_SIZE = 10_000;

  /** The decision; {@code unavailable} when the API server could not be asked. */
  record Result(boolean allowed, String reason, boolean unavailable) {}

  private final Reviews reviews;
  private final Executor workers;
  private final Cache<String, Reviews.Decision> allowed;
  private final Cache<String, Reviews.Decision> denied;

  Authorizer(Reviews reviews, Executor workers, Ticker ticker) {
    this.reviews = reviews;
    this.workers = workers;
    this.allowed = CacheBuilder.newBuilder().ticker(ticker).expireAfterWrite(ALLOWED_TTL).maximumSize(CACHE_SIZE).build();
    this.denied = CacheBuilder.newBuilder().ticker(ticker).expireAfterWrite(DENIED_TTL).maximumSize(CACHE_SIZE).build();
  }

  CompletableFuture<Result> authorize(User user, RequestAttributes attributes) {
    String key = user.name() + '\0' + user.uid() + '\0' + user.groups() + '\0' + user.extra() + '\0'
        + attributes.verb() + '\0' + attributes.subresource() + '\0' + attributes.nodeName();
    Reviews.Decision cached = allowed.getIfPresent(key);
    if (cached == null) {
      cached = denied.getIfPresent(key);
    }
    if (cached != null) {
      return CompletableFuture.completedFuture(new Result(cached.allowed(), cached.reason(), false));
    }
    CompletableFuture<Result> result = new CompletableFuture<>();
    try {
      workers.execute(() -> {
        try {
          Reviews.Decision decision = reviews.accessReview(user, attributes);
          (decision.allowed() ? allowed : denied).put(key, decision);
          result.complete(new Result(decision.allowed(), decision.reason(), false));
        } catch (Reviews.ReviewFailedException | RuntimeException e) {
          result.complete(new Result(false, "cannot review the access: " + e.getMessage(), true));
        }
      });
    } catch (RejectedExecutionException e) {
      result.complete(new Result(false, "too many access reviews waiting", true));
    }
    return result;
  }
}
