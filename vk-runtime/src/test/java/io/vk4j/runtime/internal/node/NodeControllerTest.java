package io.vk4j.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Node;
import io.vk4j.runtime.internal.client.ListWatch;
import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node controller against an in-memory Node and Lease. The test plays the watch (it hands the
 * controller the Node as the watch would) and the schedules (it calls the heartbeats).
 */
class NodeControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeNodeApi api = new FakeNodeApi();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
  private final AtomicInteger heartbeatsAccepted = new AtomicInteger();
  private final NodeTestProvider provider = new NodeTestProvider();

  private NodeController controller = controller(true);

  private NodeController controller(boolean recreateDeletedNode) {
    NodeSettings settings = new NodeSettings("vk-1", "test", Optional.empty(), Duration.ofSeconds(40),
        Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(1),
        recreateDeletedNode, "10.1.1.1", "linux", 0, "1.0");
    ListWatch<V1Node> noWatch = new ListWatch<>() {
      @Override
      public Page<V1Node> list(String continueToken) {
        throw new UnsupportedOperationException("the test plays the watch");
      }

      @Override
      public Events<V1Node> watch(String resourceVersion) {
        throw new UnsupportedOperationException("the test plays the watch");
      }
    };
    NodeController created = new NodeController(api.nodes, new LeaseKeeper(api.leases, "vk-1",
        Duration.ofSeconds(40), clock), noWatch, provider, settings, clock, () -> "the pod cache is syncing");
    created.onHeartbeatAccepted(heartbeatsAccepted::incrementAndGet);
    return created;
  }

  @AfterEach
  void close() {
    controller.close();
  }

  /** Registered, leased and Ready, as after start-up. */
  private String readyNode() {
    assertThat(controller.register()).isTrue();
    controller.renewLease();
    controller.podsReady();
    await().atMost(WAIT).until(() -> api.ready().startsWith("True/"));
    return controller.nodeUid();
  }

  @Test
  void theNodeIsNotReadyUntilThePodsCanRun() {
    assertThat(controller.register()).isTrue();

    assertThat(api.ready()).isEqualTo("False/KubeletNotReady/the pods cannot run yet: the pod cache is syncing");
    assertThat(controller.reportedReady()).isNotDone();

    controller.podsReady();

    await().atMost(WAIT).until(() -> api.ready().equals("True/KubeletReady/vk4j virtual kubelet is ready"));
    assertThat(controller.reportedReady()).isDone();
  }

  @Test
  void aNodeDeletedFromOutsideIsRegisteredAgainAtOnceWithItsLease() {
    String first = readyNode();

    controller.nodeDeleted(api.deleteNode()); // as the watch reports it

    await().atMost(WAIT).until(() -> api.node() != null && !api.node().getMetadata().getUid().equals(first));
    String second = api.node().getMetadata().getUid();
    await().atMost(WAIT).until(() -> second.equals(api.leaseOwner()));
    assertThat(controller.nodeUid()).isEqualTo(second);
  }

  @Test
  void aLeaseTheRenewalCreatedAgainRevealsADeletedNode() {
    // the Node deleted while the watch is down: the garbage collector deletes the Lease, and the next
    // renewal (a PUT, which creates a missing Lease) is answered 201
    String first = readyNode();
    api.deleteNode();
    api.deleteLease();

    controller.renewLease();

    await().atMost(WAIT).until(() -> api.node() != null && !api.node().getMetadata().getUid().equals(first));
    await().atMost(WAIT).until(() -> api.node().getMetadata().getUid().equals(api.leaseOwner()));
  }

  @Test
  void aLeaseDeletedFromOutsideAloneIsCreatedAgainForTheSameNode() {
    String uid = readyNode();
    api.deleteLease();
    int creates = api.creates.get();

    controller.renewLease();

    await().atMost(WAIT).until(() -> api.lease() != null && uid.equals(api.leaseOwner()));
    assertThat(api.creates).hasValue(creates); // the Node was not registered again
  }

  @Test
  void withRecreateDeletedNodeOffADeletedNodeStaysGone() {
    controller.close();
    controller = controller(false);
    readyNode();
    int renewals = api.renewals.get();

    controller.nodeDeleted(api.deleteNode());
    controller.renewLease();

    assertThat(api.node()).isNull();
    assertThat(controller.nodeUid()).isNull();
    assertThat(api.renewals).hasValue(renewals); // no Lease for a Node that is not there
    assertThat(controller.problem()).contains("recreateDeletedNode is off");
  }

  @Test
  void conditionsOfOursThatSomeoneElseChangedAreCorrectedAtOnceAndPodsReasserted() {
    readyNode();
    int before = heartbeatsAccepted.get();

    V1Node unknown = api.setCondition("Ready", "Unknown"); // the node lifecycle controller, after a partition
    controller.nodeSeen(unknown); // as the watch delivers it

    assertThat(api.ready()).startsWith("True/KubeletReady");
    assertThat(heartbeatsAccepted.get()).isGreaterThan(before);

    int patches = api.statusPatches.size();
    controller.nodeSeen(api.node()); // our own write coming back through the watch: nothing to correct
    assertThat(api.statusPatches).hasSize(patches);
  }

  @Test
  void aProviderThatSignalsAChangeIsAskedForItsPartAgain() {
    readyNode();
    provider.cpu = "16";

    controller.nodeChanged(); // what the provider calls: the controller is its NodeChangeListener

    await().atMost(WAIT).until(() -> api.node().getStatus().getCapacity().get("cpu").equals(Quantity.fromString("16")));
    assertThat(controller.allocatable().get("cpu")).isEqualTo(Quantity.fromString("16"));
  }

  @Test
  void aFailingPingMakesTheNodeNotReadyWhileTheLeaseKeepsBeingRenewed() throws Exception {
    readyNode();
    provider.ping = NodeTestProvider.Ping.FAILS;

    controller.pingOnce();

    await().atMost(WAIT).until(() -> api.ready().equals(
        "False/KubeletNotReady/provider ping failed: backend unreachable"));
    int renewals = api.renewals.get();
    controller.renewLease();
    assertThat(api.renewals.get()).isGreaterThan(renewals);

    provider.ping = NodeTestProvider.Ping.ANSWERS;
    controller.pingOnce();
    await().atMost(WAIT).until(() -> api.ready().startsWith("True/"));
  }
}
