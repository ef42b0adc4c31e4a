package io.vk4j.runtime.internal.kubelet;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Finds who made a request, like the kubelet's authenticator chain: a client certificate issued by
 * the client CA, else a bearer token the API server confirms (TokenReview, answers cached for two
 * minutes as the kubelet does, found or not), else anonymous when allowed. A certificate that does
 * not verify does not end the search: a good token still authenticates the request.
 */
final class Authenticator {
  static final Duration TOKEN_CACHE_TTL = Duration.ofMinutes(2);
  private static final int CACHE_SIZE = 10_000;

  /** What authentication found: a user, or why there is none ({@code unavailable}: the API server could not be asked). */
  record Result(Optional<User> user, String reason, boolean unavailable) {
    static Result of(User user) {
      return new Result(Optional.of(user), "", false);
    }

    static Result refused(String reason) {
      return new Result(Optional.empty(), reason, false);
    }
  }

  private final Optional<ClientCertificates> certificates;
  private final Reviews reviews;
  private final boolean anonymous;
  private final Executor workers;
  private final Cache<String, Optional<User>> tokens;

  Authenticator(Optional<ClientCertificates> certificates, Reviews reviews, boolean anonymous, Executor workers,
      Ticker ticker) {
    this.certificates = certificates;
    this.reviews = reviews;
    this.anonymous = anonymous;
    this.workers = workers;
    this.tokens = CacheBuilder.newBuilder().ticker(ticker).expireAfterWrite(TOKEN_CACHE_TTL)
        .maximumSize(CACHE_SIZE).build();
  }

  /**
   * @param peerChain the client's certificate chain, leaf first, when it presented one
   * @param authorization the request's {@code Authorization} header, when it has one
   */
  CompletableFuture<Result> authenticate(Optional<X509Certificate[]> peerChain, Optional<String> authorization) {
    String certificateProblem = null;
    if (peerChain.isPresent() && certificates.isPresent()) {
      try {
        return CompletableFuture.completedFuture(Result.of(certificates.get().verify(peerChain.get())));
      } catch (GeneralSecurityException e) {
        certificateProblem = "client certificate refused: " + e.getMessage();
      }
    } else if (peerChain.isPresent()) {
      certificateProblem = "client certificate refused: no client CA is configured";
    }
    Optional<String> token = authorization.flatMap(Authenticator::bearerToken);
    if (token.isPresent()) {
      return reviewToken(token.get());
    }
    if (certificateProblem != null) {
      return CompletableFuture.completedFuture(Result.refused(certificateProblem));
    }
    return CompletableFuture.completedFuture(anonymous ? Result.of(User.ANONYMOUS) : Result.refused("no credentials"));
  }

  private CompletableFuture<Result> reviewToken(String token) {
    String key = Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
    Optional<User> cached = tokens.getIfPresent(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(result(cached));
    }
    CompletableFuture<Result> result = new CompletableFuture<>();
    try {
      workers.execute(() -> {
        try {
          Optional<User> user = reviews.tokenReview(token);
          tokens.put(key, user);
          result.complete(result(user));
        } catch (Reviews.ReviewFailedException | RuntimeException e) {
          result.complete(new Result(Optional.empty(), "cannot review the token: " + e.getMessage(), true));
        }
      });
    } catch (RejectedExecutionException e) {
      result.complete(new Result(Optional.empty(), "too many token reviews waiting", true));
    }
    return result;
  }

  private static Result result(Optional<User> user) {
    return user.map(Result::of).orElseGet(() -> Result.refused("invalid bearer token"));
  }

  private static Optional<String> bearerToken(String header) {
    String trimmed = header.trim();
    if (trimmed.length() > 7 && trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      String token = trimmed.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return Optional.empty();
  }
}
