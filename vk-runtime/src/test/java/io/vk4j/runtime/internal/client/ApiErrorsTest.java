package io.vk4j.runtime.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

  @Test
  void failuresWithoutAnAnswerAreSaidInWords() {
    // what client-java throws when the API server is down: code 0, message null ("HTTP 0 null" before)
    ApiException refused = new ApiException(new ConnectException("Failed to connect to /127.0.0.1:6443"));
    ApiException timedOut = new ApiException(new SocketTimeoutException("timeout"));

    assertThat(ApiErrors.describe(refused)).isEqualTo("connection refused (the API server is not reachable)");
    assertThat(ApiErrors.describe(timedOut)).isEqualTo("timed out waiting for the API server");
    assertThat(ApiErrors.describe(new ApiException(new IOException("stream was reset: CANCEL"))))
        .isEqualTo("stream was reset: CANCEL");
    assertThat(ApiErrors.isTransient(refused)).isTrue();
  }

  @Test
  void answersGiveTheirCodeAndTheStatusMessage() {
    ApiException invalid = new ApiException(422, Map.of(), "{\"kind\":\"Status\",\"message\":\"Event.core \\\"x\\\""
        + " is invalid: lastTimestamp: Invalid value\",\"code\":422}");

    assertThat(ApiErrors.describe(invalid)).isEqualTo("HTTP 422: Event.core \"x\" is invalid: lastTimestamp: Invalid value");
    assertThat(ApiErrors.isTransient(invalid)).isFalse();
    assertThat(ApiErrors.isTransient(new ApiException(503, "unavailable"))).isTrue();
    assertThat(ApiErrors.isTransient(new ApiException(429, "slow down"))).isTrue();
  }
}
