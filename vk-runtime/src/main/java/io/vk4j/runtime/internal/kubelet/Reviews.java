package io.vk4j.runtime.internal.kubelet;

import java.util.Optional;

/** What only the API server can say about a request: who holds a token, and whether a user may do something. */
interface Reviews {

  /** The user a bearer token belongs to; empty when the API server does not know the token. */
  Optional<User> tokenReview(String token) throws ReviewFailedException;

  /** Whether {@code user} may do what {@code attributes} describe on the node. */
  Decision accessReview(User user, RequestAttributes attributes) throws ReviewFailedException;

  record Decision(boolean allowed, String reason) {}

  /** The API server could not be asked (unreachable, refused the review): nothing is cached. */
  final class ReviewFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    ReviewFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
