package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1Pod;
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
  void aNoStockAnswerMovesTheCreateToTheNextVSwitchsZone() throws Exception {
    provider = fixture.provider("vk-failover");
    fixture.emulator.faults().errorNext("CreateContainerGroup", 1, 400, FaultInjector.NO_STOCK_CODE,
        "The resource is out of stock in the specified zone.");
    V1Pod pod = EmulatorFixture.pod("shop", "web-failover");
    provider.createPod(pod);

    assertThat(groupsOf(pod)).singleElement().satisfies(g -> assertThat(g.vSwitchId()).isEqualTo("vsw-zoneb"));
    assertThat(fixture.events.of("web-failover")).anySatisfy(e -> {
      assertThat(e.reason()).isEqualTo("EciZoneUnavailable");
      assertThat(e.message()).contains("vsw-zonea").contains("vsw-zoneb");
    });
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
  }

  @Test
  void noStockAnywhereIsRetryableAndSucceedsOnceRestocked() throws Exception {
    provider = fixture.provider("vk-nostock");
    fixture.emulator.faults().noStock(EmulatorFixture.REGION + "-a").noStock(EmulatorFixture.REGION + "-b");
    V1Pod pod = EmulatorFixture.pod("shop", "web-nostock");
    assertThatThrownBy(() -> provider.createPod(pod)).isInstanceOf(RetryableException.class)
        .satisfies(e -> assertThat(((ProviderException) e).reason()).isEqualTo("EciNoStock"));
    // one create per vSwitch: the zone failover tried each
    assertThat(fixture.emulator.callCount("CreateContainerGroup")).isEqualTo(2);

    fixture.emulator.faults().restock(EmulatorFixture.REGION + "-b");
    provider.createPod(pod);
    assertThat(groupsOf(pod)).hasSize(1);
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
  void aWrongSecretIsReportedAsACredentialsProblem() throws Exception {
    fixture.env.put("ECI_SECRET_KEY", "not-the-secret");
    provider = fixture.provider("vk-badkey");
    assertThatThrownBy(() -> provider.createPod(EmulatorFixture.pod("shop", "web-badkey")))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("SignatureDoesNotMatch")
        .satisfies(e -> assertThat(((ProviderException) e).reason()).isEqualTo("EciUnauthorized"));
    assertThat(fixture.emulator.containerGroups()).isEmpty();
  }
}
