package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.eci.emulator.ContainerGroupSnapshot;
import io.vk4j.eci.emulator.FaultInjector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Faults injected into the emulator, met through the real SDK. */
class EciFaultTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final EmulatorFixture fixture = new EmulatorFixture();
  private EciProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
    fixture.close();
  }

  /** Creates like the runtime does: retryable failures are tried again, with a pause. */
  private void createUntilAccepted(V1Pod pod) throws Exception {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      try {
        provider.createPod(pod);
        return true;
      } catch (RetryableException e) {
        return false;
      }
    });
  }

  private List<ContainerGroupSnapshot> groupsOf(V1Pod pod) {
    return fixture.emulator.containerGroups().stream()
        .filter(g -> pod.getMetadata().getUid().equals(g.tags().get(GroupTags.UID))).toList();
  }

  @Test
  void aThrottlingStormLeavesExactlyOneGroupPerPod() throws Exception {
    provider = fixture.provider("vk-storm");
    fixture.emulator.faults().throttleNext(10).throttleNext("CreateContainerGroup", 30)
        .rateLimit("CreateContainerGroup", 10);
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pods.add(EmulatorFixture.pod("storm", "web-" + i));
    }
    ExecutorService workers = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (V1Pod pod : pods) {
        done.add(workers.submit(() -> {
          createUntilAccepted(pod);
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      workers.shutdownNow();
    }
    // throttled creates were sent again, with the same ClientToken
    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isGreaterThanOrEqualTo(60);
    for (V1Pod pod : pods) {
      assertThat(groupsOf(pod)).as("groups of %s", pod.getMetadata().getName()).hasSize(1);
    }
    await().atMost(TIMEOUT).until(() -> pods.stream().allMatch(p -> "Running".equals(fixture.phaseOf(p))));
  }

  @Test
  void aZoneWithoutStockIsAvoided() throws Exception {
    provider = fixture.provider("vk-stock");
    fixture.emulator.faults().noStock(EmulatorFixture.REGION + "-a");
    V1Pod pod = EmulatorFixture.pod("shop", "web-stock");
    provider.createPod(pod);
    assertThat(groupsOf(pod)).singleElement().satisfies(g -> assertThat(g.zoneId()).isEqualTo(EmulatorFixture.REGION + "-b"));
  }

  @Test
  void aNoStockAnswerMarksEveryVSwitchOfTheRequestAndThePodWaits() throws Exception {
    fixture.env.put("ECI_NO_STOCK_BACKOFF_SECONDS", "3");
    provider = fixture.provider("vk-nostock-once");
    fixture.emulator.resetCallCounts();
    fixture.emulator.faults().errorNext("CreateContainerGroup", 1, 400, FaultInjector.NO_STOCK_CODE,
        "The resource is out of stock in the specified zone.");
    V1Pod pod = EmulatorFixture.pod("shop", "web-once");
    // one request names both vSwitches: ECI looked through both zones, so both are out for this size
    assertThatThrownBy(() -> provider.createPod(pod)).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(((RetryableException) e).retryAfter()).isPresent());
    assertThat(fixture.events.of("web-once")).anySatisfy(e -> {
      assertThat(e.reason()).isEqualTo("EciNoStock");
      assertThat(e.message()).contains("vsw-zonea, vsw-zoneb").contains(FaultInjector.NO_STOCK_CODE);
    });
    // retried before its backoff, the pod costs no call
    assertThatThrownBy(() -> provider.createPod(pod)).isInstanceOf(RetryableException.class);
    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isEqualTo(1);

    createUntilAccepted(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
  }

  @Test
  void noStockAnywhereIsRetryableAndSucceedsOnceRestocked() throws Exception {
    fixture.env.put("ECI_NO_STOCK_BACKOFF_SECONDS", "3");
    provider = fixture.provider("vk-nostock");
    fixture.emulator.resetCallCounts();
    fixture.emulator.faults().noStock(EmulatorFixture.REGION + "-a").noStock(EmulatorFixture.REGION + "-b");
    V1Pod pod = EmulatorFixture.pod("shop", "web-nostock");
    assertThatThrownBy(() -> provider.createPod(pod)).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(((ProviderException) e).reason()).isEqualTo("EciNoStock"));
    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isEqualTo(1);

    fixture.emulator.faults().restock(EmulatorFixture.REGION + "-b");
    createUntilAccepted(pod);
    assertThat(groupsOf(pod)).hasSize(1);
  }

  /**
   * Like the runtime: each pod's create is retried, no sooner than the retry-after it was given. While no zone
   * has stock the provider sends a handful of creates for all the pods together; once stock is back, every
   * pod gets its group.
   */
  @Test
  void aLongNoStockPeriodCostsAFewCallsNotAStorm() throws Exception {
    fixture.env.put("ECI_NO_STOCK_BACKOFF_SECONDS", "2");
    provider = fixture.provider("vk-nostock-long");
    fixture.emulator.resetCallCounts();
    fixture.emulator.faults().noStock(EmulatorFixture.REGION + "-a").noStock(EmulatorFixture.REGION + "-b");
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pods.add(EmulatorFixture.pod("shop", "web-long-" + i));
    }
    java.util.Map<String, java.time.Instant> next = new java.util.HashMap<>();
    java.time.Instant stop = java.time.Instant.now().plusSeconds(6);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      for (V1Pod pod : pods) {
        if (java.time.Instant.now().isBefore(next.getOrDefault(pod.getMetadata().getName(), java.time.Instant.MIN))) {
          continue;
        }
        try {
          provider.createPod(pod);
        } catch (RetryableException e) {
          next.put(pod.getMetadata().getName(), java.time.Instant.now().plus(e.retryAfter().orElse(Duration.ofMillis(200))));
        }
      }
      return java.time.Instant.now().isAfter(stop);
    });
    // 6 s with zones remembered for 2 s, doubling: the first refusal and a probe or two
    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isBetween(1L, 4L);
    assertThat(fixture.emulator.containerGroups()).isEmpty();

    fixture.emulator.faults().clear();
    for (V1Pod pod : pods) {
      createUntilAccepted(pod);
    }
    assertThat(fixture.emulator.containerGroups()).hasSize(20);
  }

  @Test
  void aGroupEciCouldNotScheduleIsReplacedOnceStockIsBack() throws Exception {
    fixture.env.put("ECI_NO_STOCK_BACKOFF_SECONDS", "2");
    provider = fixture.provider("vk-schedule-failed");
    fixture.emulator.faults().noStock(EmulatorFixture.REGION + "-a", FaultInjector.NoStockMode.SCHEDULE_FAILS)
        .noStock(EmulatorFixture.REGION + "-b", FaultInjector.NoStockMode.SCHEDULE_FAILS);
    V1Pod pod = EmulatorFixture.pod("shop", "web-late");
    V1Pod fast = EmulatorFixture.pod("shop", "web-fast");
    fast.getMetadata().putAnnotationsItem(EciAnnotations.FAIL_STRATEGY, "fail-fast");
    provider.createPod(pod);
    provider.createPod(fast);
    String first = groupsOf(pod).get(0).id();

    // ECI accepted the group, then could not schedule it: fail-back (the default) keeps the pod Pending
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(fixture.events.of("web-late"))
        .extracting(RecordingEvents.Event::reason).contains("NoStock", "EciScheduleFailed"));
    assertThat(fixture.phaseOf(pod)).isEqualTo("Pending");
    await().atMost(TIMEOUT).until(() -> "Failed".equals(fixture.phaseOf(fast)));

    fixture.emulator.faults().clear();
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    assertThat(groupsOf(pod)).extracting(ContainerGroupSnapshot::id).doesNotContain(first).hasSize(1);
  }

  @Test
  void anEmptyListingFailsNoPodWhileTheKeyCannotCreate() throws Exception {
    fixture.env.put("ECI_FULL_RESYNC_SECONDS", "1");
    provider = fixture.provider("vk-empty");
    V1Pod pod = EmulatorFixture.pod("shop", "web-empty");
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));

    // a key that lost its RAM permission: every listing is empty, no error
    fixture.emulator.faults().ramPermission(false);
    long rounds = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > rounds + 2);
    assertThat(fixture.phaseOf(pod)).isEqualTo("Running");
    // and the node says so
    assertThatThrownBy(() -> provider.ping()).isInstanceOf(RetryableException.class)
        .hasMessageContaining(FaultInjector.RAM_DENIED_CODE);

    // one empty answer among good ones changes nothing either
    fixture.emulator.faults().ramPermission(true).emptyAnswerNext("DescribeContainerGroups", 3);
    long later = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > later + 2);
    assertThat(fixture.phaseOf(pod)).isEqualTo("Running");
    provider.ping();
  }

  @Test
  void aCreateThatTimedOutButSucceededLeavesOneGroup() throws Exception {
    fixture.env.put("ECI_READ_TIMEOUT_SECONDS", "1");
    provider = fixture.provider("vk-timeout");
    fixture.emulator.faults().delayResponseNext("CreateContainerGroup", 1, Duration.ofSeconds(3));
    V1Pod pod = EmulatorFixture.pod("shop", "web-timeout");
    createUntilAccepted(pod);

    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isGreaterThanOrEqualTo(2);
    assertThat(groupsOf(pod)).hasSize(1);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
  }

  @Test
  void anEndpointRestartIsRiddenOut() throws Exception {
    provider = fixture.provider("vk-restart");
    V1Pod before = EmulatorFixture.pod("shop", "web-before");
    provider.createPod(before);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(before)));

    fixture.emulator.stop();
    V1Pod during = EmulatorFixture.pod("shop", "web-during");
    assertThatThrownBy(() -> provider.createPod(during)).isInstanceOf(RetryableException.class);
    // a short outage does not make the node NotReady
    provider.ping();
    fixture.emulator.start();

    createUntilAccepted(during);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(during)));
    assertThat(groupsOf(during)).hasSize(1);
    assertThat(groupsOf(before)).hasSize(1);
    provider.deletePod(before);
    await().atMost(TIMEOUT).until(() -> "Succeeded".equals(fixture.phaseOf(before)));
  }

  @Test
  void aWrongSecretStopsTheStartUpWithAClearError() {
    fixture.env.put("ECI_SECRET_KEY", "not-the-secret");
    assertThatThrownBy(() -> fixture.provider("vk-badkey"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("SignatureDoesNotMatch").hasMessageContaining("ECI_RAM_ROLE")
        .satisfies(e -> assertThat(((ProviderException) e).reason()).isEqualTo("EciAccessDenied"));
    assertThat(fixture.emulator.containerGroups()).isEmpty();
  }

  @Test
  void aKeyWithoutRamPermissionStopsTheStartUp() {
    fixture.emulator.faults().ramPermission(false);
    assertThatThrownBy(() -> fixture.provider("vk-noram")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(FaultInjector.RAM_DENIED_CODE);
  }

  @Test
  void theNodeIsNotReadyWhileEciDoesNotAnswer() throws Exception {
    fixture.env.put("ECI_UNREACHABLE_SECONDS", "1");
    provider = fixture.provider("vk-unreachable");
    provider.ping();
    fixture.emulator.stop();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThatThrownBy(() -> provider.ping())
        .isInstanceOf(RetryableException.class).hasMessageContaining("has not answered"));
    fixture.emulator.start();
    await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> provider.ping());
  }
}
