package io.vk4j.runtime.internal.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.vk4j.api.BackendPod;
import io.vk4j.api.ClusterPods;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import io.vk4j.runtime.internal.metrics.NodeMetrics;
import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ClusterSweeperTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration SAFETY = Duration.ofMinutes(5);
  private static final Duration ABANDONED = Duration.ofMinutes(10);

  private final MutableClock clock = new MutableClock(T0);
  private final FakeSweepApi api = new FakeSweepApi();
  private final Backend backend = new Backend();

  /** The backend pods of the cluster, in memory. */
  private static final class Backend implements ClusterPods {
    final List<BackendPod> pods = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    volatile boolean fails;

    BackendPod add(String node, String namespace, String name, String uid, Instant created) {
      BackendPod pod = BackendPod.builder().id("g-" + uid).nodeName(node).namespace(namespace).name(name).uid(uid)
          .creationTime(created).build();
      pods.add(pod);
      return pod;
    }

    @Override
    public List<BackendPod> listClusterPods() throws ProviderException {
      if (fails) {
        throw new RetryableException("Throttled", "the backend throttles the listing");
      }
      return new ArrayList<>(pods);
    }

    @Override
    public void deleteClusterPod(BackendPod pod) {
      pods.remove(pod);
      deleted.add(pod.id());
    }
  }

  private ClusterSweeper sweeper(String identity) {
    return new ClusterSweeper(backend, api, new NodeFate(api, Optional.of("kube-system")),
        new ClusterSweeper.Settings(identity, "eci", "kube-system", Duration.ofSeconds(10), SAFETY, ABANDONED),
        NodeMetrics.discarding(), clock);
  }

  private Map<String, String> runBy(String set) {
    return Map.of(NodeFate.STATEFULSET_LABEL, set, NodeFate.STATEFULSET_NAMESPACE_LABEL, "kube-system");
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  @Test
  void deletesOldBackendPodsOfGoneNodesWhosePodIsGoneAndNothingElse() {
    api.addNode("vn-0", "eci", runBy("vn"));
    api.heartbeat("vn-0", now());
    backend.add("vn-0", "ns", "alive-node", "u1", T0.minus(Duration.ofHours(1)));            // its node runs
    backend.add("vn-7", "ns", "gone", "u2", T0.minus(Duration.ofHours(1)));                  // leftover
    backend.add("vn-7", "ns", "young", "u3", T0.minus(Duration.ofMinutes(1)));               // too young
    backend.add("vn-7", "ns", "still-there", "u4", T0.minus(Duration.ofHours(1)));           // its pod exists
    backend.add("vn-7", "ns", "successor", "u5", T0.minus(Duration.ofHours(1)));             // a successor has the name
    api.addPod("ns", "still-there", "u4", "vn-7");
    api.addPod("ns", "successor", "u5-new", "vn-0");

    int deleted = sweeper("vn-0").round();

    assertThat(backend.deleted).containsExactlyInAnyOrder("g-u2", "g-u5");
    assertThat(deleted).isEqualTo(2);
    clock.advance(SAFETY);
    sweeper("vn-0").round();
    assertThat(backend.deleted).contains("g-u3").doesNotContain("g-u1", "g-u4");
  }

  @Test
  void aPodWithoutCreationTimeWaitsTheSafetyAgeFromWhenItWasFirstSeen() {
    api.addNode("vn-0", "eci", runBy("vn"));
    backend.pods.add(BackendPod.builder().id("g-x").nodeName("gone").namespace("ns").name("x").uid("ux").build());
    ClusterSweeper sweeper = sweeper("vn-0");

    sweeper.round();
    assertThat(backend.deleted).isEmpty();
    clock.advance(SAFETY);
    sweeper.round();
    assertThat(backend.deleted).containsExactly("g-x");
  }

  @Test
  void doesNothingFromAnIncompleteView() {
    backend.add("gone", "ns", "p", "u1", T0.minus(Duration.ofHours(1)));
    api.nodesFail = true;
    assertThat(sweeper("vn-0").round()).isZero();
    api.nodesFail = false;
    backend.fails = true;
    assertThat(sweeper("vn-0").round()).isZero();
    backend.fails = false;
    api.podReadsFail = true; // whether its pod exists cannot be told: left alone
    assertThat(sweeper("vn-0").round()).isZero();
    assertThat(backend.deleted).isEmpty();
  }

  @Test
  void retiresANodeWhoseLeaseIsStaleAndWhoseStatefulSetNoLongerHasIt() {
    api.statefulSets.put("kube-system/vn", 3);
    api.addNode("vn-0", "eci", runBy("vn"));
    api.heartbeat("vn-0", now());
    api.addNode("vn-3", "eci", runBy("vn"));                          // scaled away and crashed
    api.heartbeat("vn-3", now().minus(ABANDONED).minusSeconds(1));
    api.addNode("vn-2", "eci", runBy("vn"));                          // silent too, but can come back
    api.heartbeat("vn-2", now().minus(ABANDONED).minusSeconds(1));
    api.addNode("other-9", "eci", Map.of());                          // not run by our StatefulSet
    api.heartbeat("other-9", now().minus(Duration.ofDays(1)));
    api.addPod("ns", "web-1", "w1", "vn-3");
    backend.add("vn-3", "ns", "web-1", "w1", T0.minus(Duration.ofHours(1)));
    backend.add("vn-2", "ns", "web-2", "w2", T0.minus(Duration.ofHours(1)));

    sweeper("vn-0").round();

    assertThat(api.cordoned).containsExactly("vn-3");
    assertThat(api.nodes).containsOnlyKeys("vn-0", "vn-2", "other-9");
    assertThat(api.pods).isEmpty();
    assertThat(api.events).containsExactly("NodeAbandoned vn-3");
    assertThat(backend.deleted).containsExactly("g-w1");
  }

  @Test
  void aDeletedStatefulSetCannotBringItsNodesBack() {
    api.addNode("vn-0", "eci", runBy("vn"));
    api.heartbeat("vn-0", now().minus(ABANDONED).minusSeconds(1));

    sweeper("vn-1").round();

    assertThat(api.nodes).isEmpty();
  }

  @Test
  void onlyOneCandidateLeadsAndAnotherTakesOverOnceTheLeaseExpires() {
    ClusterSweeper first = sweeper("vn-0");
    ClusterSweeper second = sweeper("vn-1");
    backend.add("gone", "ns", "p", "u1", T0.minus(Duration.ofHours(1)));

    first.tick();
    second.tick();
    assertThat(backend.deleted).containsExactly("g-u1"); // one round, by the leader
    assertThat(api.leases.get("kube-system/vk4j-cluster-sweep-eci").getSpec().getHolderIdentity()).isEqualTo("vn-0");

    backend.add("gone", "ns", "q", "u2", T0.minus(Duration.ofHours(1)));
    clock.advance(Duration.ofSeconds(20)); // vn-0 is silent: its Lease (30 s) has not run out
    second.tick();
    assertThat(backend.deleted).doesNotContain("g-u2");
    clock.advance(Duration.ofSeconds(11));
    second.tick();
    assertThat(api.leases.get("kube-system/vk4j-cluster-sweep-eci").getSpec().getHolderIdentity()).isEqualTo("vn-1");
    assertThat(backend.deleted).contains("g-u2");
  }
}
