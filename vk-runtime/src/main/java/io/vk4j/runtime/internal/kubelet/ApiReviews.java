package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthenticationV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewStatus;
import io.kubernetes.client.openapi.models.V1TokenReview;
import io.kubernetes.client.openapi.models.V1TokenReviewSpec;
import io.kubernetes.client.openapi.models.V1TokenReviewStatus;
import io.kubernetes.client.openapi.models.V1UserInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * TokenReviews and SubjectAccessReviews against the API server, each call bounded in time (the
 * node's client may have no read timeout, as it carries watches). Needs {@code create} on {@code
 * tokenreviews} and {@code subjectaccessreviews}.
 */
final class ApiReviews implements Reviews {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final ApiClient client;
  private final AuthenticationV1Api authentication;
  private final AuthorizationV1Api authorization;

  ApiReviews(ApiClient client) {
    this.client = client;
    this.authentication = new AuthenticationV1Api(client);
    this.authorization = new AuthorizationV1Api(client);
  }

  @Override
  public Optional<User> tokenReview(String token) throws ReviewFailedException {
    V1TokenReview review;
    try {
      Call call = authentication.createTokenReview(new V1TokenReview().spec(new V1TokenReviewSpec().token(token)))
          .buildCall(null);
      review = execute(call, V1TokenReview.class);
    } catch (ApiException e) {
      throw new ReviewFailedException("TokenReview failed: " + describe(e), e);
    }
    V1TokenReviewStatus status = review.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
      return Optional.empty();
    }
    V1UserInfo user = status.getUser();
    return Optional.of(new User(user.getUsername(), user.getUid() == null ? "" : user.getUid(),
        user.getGroups() == null ? List.of() : user.getGroups(),
        user.getExtra() == null ? Map.of() : user.getExtra()));
  }

  @Override
  public Decision accessReview(User user, RequestAttributes attributes) throws ReviewFailedException {
    V1SubjectAccessReview review = new V1SubjectAccessReview().spec(new V1SubjectAccessReviewSpec()
        .user(user.name())
        .uid(user.uid().isEmpty() ? null : user.uid())
        .groups(user.groups())
        .extra(user.extra().isEmpty() ? null : user.extra())
        .resourceAttributes(new V1ResourceAttributes()
            .verb(attributes.verb())
            .group("")
            .version("v1")
            .resource("nodes")
            .subresource(attributes.subresource())
            .name(attributes.nodeName())));
    V1SubjectAccessReview answer;
    try {
      answer = execute(authorization.createSubjectAccessReview(review).buildCall(null), V1SubjectAccessReview.class);
    } catch (ApiException e) {
      throw new ReviewFailedException("SubjectAccessReview failed: " + describe(e), e);
    }
    V1SubjectAccessReviewStatus status = answer.getStatus();
    boolean allowed = status != null && Boolean.TRUE.equals(status.getAllowed()) && !Boolean.TRUE.equals(status.getDenied());
    return new Decision(allowed, status == null || status.getReason() == null ? "" : status.getReason());
  }

  private <T> T execute(Call call, Class<T> type) throws ApiException {
    call.timeout().timeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return client.<T>execute(call, type).getData();
  }

  private static String describe(ApiException e) {
    return e.getCode() == 0 ? String.valueOf(e.getMessage()) : "HTTP " + e.getCode() + " " + e.getResponseBody();
  }
}
