package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.RetryableException;
import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResilientTransportTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Deque<Object> script = new ArrayDeque<>();
  private final List<Duration> pauses = new ArrayList<>();
  private int delegateCalls;
  private final CircuitBreaker circuit = new CircuitBreaker(5, Duration.ofSeconds(5), Duration.ofMinutes(1), clock);
  private final ApiCallCounter counter = new ApiCallCounter();

  private final EciTransport scripted = (action, params, timeout) -> {
    delegateCalls++;
    Object next = script.isEmpty() ? Map.of("RequestId", "ok") : script.removeFirst();
    if (next instanceof EciApiException e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> response = (Map<String, Object>) next;
    return response;
  };

  private final EciHealth health = new EciHealth(clock, Duration.ofSeconds(20));
  private final ResilientTransport transport = new ResilientTransport(scripted, 1000, circuit, counter, health, 4,
      Duration.ofMillis(200), Duration.ofSeconds(5), pauses::add);

  private static EciApiException error(int status, String code) {
    return new EciApiException(code, status, "scripted", "req-1", null);
  }

  @Test
  void throttlingAndServerErrorsAreRetriedWithGrowingJitteredPauses() throws Exception {
    script.add(error(400, "Throttling.User"));
    script.add(error(503, "ServiceUnavailable"));
    script.add(EciApiException.transport("read timed out", null));
    script.add(Map.of("ContainerGroupId", "eci-1"));

    assertThat(transport.call("CreateContainerGroup", Map.of(), Duration.ofSeconds(1))).containsEntry("ContainerGroupId", "eci-1");
    assertThat(delegateCalls).isEqualTo(4);
    assertThat(counter.calls("CreateContainerGroup")).isEqualTo(4);
    assertThat(pauses).hasSize(3);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(pauses.get(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastError() {
    for (int i = 0; i < 4; i++) {
      script.add(error(400, "Throttling.Api"));
    }
    assertThatThrownBy(() -> transport.call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(EciApiException.class).hasMessageContaining("scripted");
    assertThat(delegateCalls).isEqualTo(4);
  }

  @Test
  void clientErrorsAreNotRetried() {
    script.add(error(400, "InvalidParameter"));
    assertThatThrownBy(() -> transport.call("CreateContainerGroup", Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(EciApiException.class);
    assertThat(delegateCalls).isEqualTo(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndClosesAfterASuccessfulTrial() throws Exception {
    for (int i = 0; i < 8; i++) {
      script.add(error(500, "InternalError"));
    }
    assertThatThrownBy(() -> transport.call("DescribeContainerGroupStatus", Map.of(), Duration.ofSeconds(1)));
    assertThat(delegateCalls).isEqualTo(4);
    assertThatThrownBy(() -> transport.call("DescribeContainerGroupStatus", Map.of(), Duration.ofSeconds(1)))
        .isInstanceOf(EciApiException.class)
        .satisfies(e -> assertThat(((EciApiException) e).code()).isEqualTo(EciApiException.CIRCUIT_OPEN));
    // opened after the 5th failure: the 6th call was refused without reaching the endpoint
    assertThat(delegateCalls).isEqualTo(5);
    assertThat(circuit.openSince()).isPresent();

    int before = delegateCalls;
    assertThatThrownBy(() -> transport.call("DescribeContainerGroupStatus", Map.of(), Duration.ofSeconds(1)));
    assertThat(delegateCalls).isEqualTo(before);

    clock.advance(Duration.ofSeconds(6));
    script.clear();
    assertThat(transport.call("DescribeContainerGroupStatus", Map.of(), Duration.ofSeconds(1))).isNotNull();
    assertThat(circuit.openSince()).isEmpty();
  }

  @Test
  void throttlingLowersTheClientRateInsteadOfOpeningTheCircuit() throws Exception {
    for (int i = 0; i < 12; i++) {
      script.add(error(400, "Throttling.User"));
    }
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> transport.call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(1)));
    }
    assertThat(circuit.openSince()).isEmpty();
    assertThat(transport.currentQps()).isLessThan(1000);
    double lowered = transport.currentQps();
    for (int i = 0; i < 5; i++) {
      transport.call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(1));
    }
    assertThat(transport.currentQps()).isGreaterThan(lowered);
  }

  @Test
  void errorsBecomeTheSpisExceptions() {
    assertThat(error(404, "InvalidContainerGroup.NotFound").toProviderException("x")).isInstanceOf(NotFoundException.class);
    assertThat(error(400, "InvalidParameter.Image").toProviderException("x")).isInstanceOf(InvalidInputException.class);
    assertThat(error(400, "Throttling.User").toProviderException("x")).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(e.reason()).isEqualTo("EciThrottled"));
    assertThat(error(400, "RecommendEmpty.InstanceTypeNoStock").toProviderException("x"))
        .isInstanceOf(RetryableException.class).satisfies(e -> assertThat(e.reason()).isEqualTo("EciNoStock"));
    assertThat(error(400, "SignatureDoesNotMatch").toProviderException("x")).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(e.reason()).isEqualTo("EciUnauthorized"));
    assertThat(error(400, "RecommendEmpty.InstanceTypeNoStock").isZoneUnavailable()).isTrue();
    assertThat(error(403, "Zone.NotOnSale").isZoneUnavailable()).isTrue();
    assertThat(error(400, "InvalidParameter").isZoneUnavailable()).isFalse();
  }

  @Test
  void healthFollowsWhetherEciAnswers() throws Exception {
    assertThat(health.problem()).isEmpty();
    script.add(error(400, "SignatureDoesNotMatch"));
    assertThatThrownBy(() -> transport.call("DescribeContainerGroups", Map.of(),
        Duration.ofSeconds(1))).isInstanceOf(EciApiException.class);
    // refused credentials: at once
    assertThat(health.problem()).get().asString().contains("SignatureDoesNotMatch");
    // a listing proves nothing: a key without RAM permission lists, emptily
    transport.call("DescribeContainerGroups", Map.of(), Duration.ofSeconds(1));
    assertThat(health.problem()).isPresent();
    transport.call("DescribeContainerLog", Map.of(), Duration.ofSeconds(1));
    assertThat(health.problem()).isEmpty();

    for (int i = 0; i < 4; i++) {
      script.add(error(503, "ServiceUnavailable"));
    }
    assertThatThrownBy(() -> transport.call("DescribeContainerGroups", Map.of(),
        Duration.ofSeconds(1))).isInstanceOf(EciApiException.class);
    // no answer: only after the grace, a blip is no reason for NotReady
    assertThat(health.problem()).isEmpty();
    clock.advance(Duration.ofSeconds(21));
    assertThat(health.problem()).get().asString().contains("ServiceUnavailable");
    // an answer about the request (not the credentials) means ECI is there
    script.add(error(400, "InvalidParameter"));
    assertThatThrownBy(() -> transport.call("CreateContainerGroup", Map.of(),
        Duration.ofSeconds(1))).isInstanceOf(EciApiException.class);
    assertThat(health.problem()).isEmpty();
  }
}
