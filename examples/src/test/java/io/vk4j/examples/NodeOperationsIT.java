package io.vk4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1TopologySpreadConstraint;
import io.vk4j.eci.emulator.ContainerGroupSnapshot;
import io.vk4j.eci.emulator.EciEmulator;
import io.vk4j.testkit.cluster.Kubectl;
import io.vk4j.testkit.cluster.KubernetesClusterExtension;
import io.vk4j.testkit.cluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's operations on four ECI virtual nodes run like the StatefulSet's replicas (VirtualNodeMain
 * processes named {@code <set>-0..3}, against the ECI emulator, a real StatefulSet object giving the
 * replica count), in the orders an operator, and a careless one, follows: a rolling restart, a
 * scale-down, a crash of a replica that was scaled away, the unsafe order (controller killed,
 * Node deleted, pods force-deleted) and {@code kubectl delete statefulset} before the pods. After each
 * step no container group is left without its pod, and the restart re-creates no pod. The figures go
 * to {@code target/node-operations.txt}.
 */
@ExtendWith(KubernetesClusterExtension.class)
class NodeOperationsIT {
  private static final int PODS = 8;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String CLUSTER_TAG = "vk4j.io/cluster";
  private static final String NODE_TAG = "vk4j.io/node";

  private TestCluster cluster;
  private CoreV1Api core;
  private Kubectl kubectl;
  private EciEmulator emulator;
  private String namespace;
  private String set;
  private String clusterId;
  private final NodeProcess[] nodes = new NodeProcess[4];
  private final List<String> report = new ArrayList<>();

  @Test
  void everyOrderOfTheSeedsOperationsLeavesNoContainerGroupBehind(TestCluster cluster) throws Exception {
    this.cluster = cluster;
    this.core = cluster.core();
    this.kubectl = Kubectl.of(cluster.kubeconfig());
    namespace = cluster.createNamespace("ops");
    set = cluster.uniqueName("vn");
    clusterId = cluster.uniqueName("c");
    emulator = EciEmulator.builder().port(0).credentials("ak", "sk").region("cn-hangzhou")
        .groupTransitionDelay(Duration.ofMillis(50)).build().start();
    try {
      createStatefulSet(4);
      for (int i = 0; i < 4; i++) {
        nodes[i] = startNode(i);
      }
      for (int i = 0; i < 4; i++) {
        awaitReady(i);
      }
      createDeployment();
      await("%d pods Running, some on node 3".formatted(PODS)).atMost(TIMEOUT)
          .until(() -> running().size() == PODS && !podsOn(node(3)).isEmpty());

      rollingRestart();
      scaleDown();
      crashOfAReplicaScaledAway();
      controllerKilledNodeDeletedPodsForceDeleted();
      statefulSetDeletedBeforeThePods();
    } finally {
      for (NodeProcess node : nodes) {
        if (node != null) {
          node.close();
        }
      }
      emulator.close();
      Files.write(Path.of("target", "node-operations.txt"), report);
      report.forEach(System.out::println);
      for (int i = 0; i < 4; i++) {
        TestNodeCleanup.deleteNode(core, node(i));
      }
    }
  }

  /** Same replica count: the replica stops (SIGTERM) and a new one of the same name adopts everything. */
  private void rollingRestart() throws Exception {
    Set<String> uids = uids(running());
    Set<String> groups = groupIds();
    long start = System.nanoTime();
    assertThat(nodes[1].terminate()).as("exit status; log %s", nodes[1].log).isZero();
    assertThat(nodes[1].output()).doesNotContain("retired");
    nodes[1] = startNode(1);
    awaitReady(1);
    await("the same pods and container groups, all Running, for 5 s").atMost(TIMEOUT).during(Duration.ofSeconds(5))
        .until(() -> uids(running()).equals(uids) && groupIds().equals(groups));
    int recreated = recreated(uids);
    record("rolling restart of " + node(1), start, recreated);
    assertThat(recreated).isZero();
    assertThat(groupsLeft()).isZero();
  }

  /** {@code --replicas=4} to 3: the StatefulSet deletes replica 3, whose node retires before it exits. */
  private void scaleDown() throws Exception {
    Set<String> uids = uids(running());
    int onNode = podsOn(node(3)).size();
    kubectl.run("-n", namespace, "scale", "statefulset", set, "--replicas=3").succeeded();
    long start = System.nanoTime();
    assertThat(nodes[3].terminate()).as("exit status; log %s", nodes[3].log).isZero();
    assertThat(nodes[3].output()).contains("retired");
    await("node 3 gone, its groups deleted, its pods running elsewhere").atMost(TIMEOUT)
        .until(() -> !nodeExists(3) && groupsOf(node(3)) == 0 && running().size() == PODS
            && running().stream().noneMatch(p -> node(3).equals(p.getSpec().getNodeName())));
    int recreated = recreated(uids);
    record("scale-down 4 -> 3 (" + onNode + " pods on " + node(3) + ")", start, recreated);
    assertThat(recreated).isEqualTo(onNode);
    assertThat(groupsLeft()).isZero();
  }

  /** 3 to 2, but replica 2 is killed: the sweep retires its node once its Lease is stale. */
  private void crashOfAReplicaScaledAway() throws Exception {
    Set<String> uids = uids(running());
    int onNode = podsOn(node(2)).size();
    kubectl.run("-n", namespace, "scale", "statefulset", set, "--replicas=2").succeeded();
    long start = System.nanoTime();
    nodes[2].kill();
    await("the sweep retires node 2: Node and groups gone, pods running elsewhere").atMost(TIMEOUT)
        .until(() -> !nodeExists(2) && groupsOf(node(2)) == 0 && running().size() == PODS
            && running().stream().noneMatch(p -> node(2).equals(p.getSpec().getNodeName())));
    int recreated = recreated(uids);
    record("scale-down 3 -> 2 with " + node(2) + " killed (" + onNode + " pods)", start, recreated);
    assertThat(groupsLeft()).isZero();
  }

  /** The unsafe order: the controller is killed, then the Node deleted and its pods force-deleted. */
  private void controllerKilledNodeDeletedPodsForceDeleted() throws Exception {
    Set<String> uids = uids(running());
    List<V1Pod> onNode = podsOn(node(1));
    long start = System.nanoTime();
    nodes[1].kill();
    kubectl.run("delete", "node", node(1)).succeeded();
    for (V1Pod pod : onNode) {
      kubectl.run("-n", namespace, "delete", "pod", pod.getMetadata().getName(), "--force", "--grace-period=0")
          .succeeded();
    }
    await("the sweep deletes the groups of node 1").atMost(TIMEOUT)
        .until(() -> groupsOf(node(1)) == 0 && running().size() == PODS);
    int recreated = recreated(uids);
    record("kill " + node(1) + ", kubectl delete node, force-delete its " + onNode.size() + " pods", start, recreated);
    assertThat(groupsLeft()).isZero();
  }

  /** {@code kubectl delete statefulset} first: the last replica retires as it stops, then nothing is left. */
  private void statefulSetDeletedBeforeThePods() throws Exception {
    Set<String> uids = uids(running());
    kubectl.run("-n", namespace, "delete", "statefulset", set).succeeded();
    long start = System.nanoTime();
    assertThat(nodes[0].terminate()).as("exit status; log %s", nodes[0].log).isZero();
    assertThat(nodes[0].output()).contains("retired");
    await("no node and no container group of the cluster left").atMost(TIMEOUT)
        .until(() -> !nodeExists(0) && clusterGroups().isEmpty());
    record("kubectl delete statefulset, then " + node(0) + " stops", start, recreated(uids));
    List<com.google.gson.JsonObject> json = nodes[0].output().lines().filter(l -> l.startsWith("{"))
        .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject()).toList();
    assertThat(json).as("JSON log lines of %s", node(0)).anySatisfy(line -> {
      assertThat(line.get("level").getAsString()).isEqualTo("INFO");
      assertThat(line.get("formattedMessage").getAsString()).contains("retired in");
    });
    assertThat(groupsLeft()).isZero();
    assertThat(clusterGroups()).isEmpty();
  }

  private void record(String step, long startNanos, int recreated) throws ApiException {
    report.add(String.format("%-70s cleaned up in %5.1f s, groups left %d, pods recreated %d", step,
        (System.nanoTime() - startNanos) / 1e9, groupsLeft(), recreated));
  }

  private NodeProcess startNode(int ordinal) throws Exception {
    Map<String, String> environment = Map.ofEntries(
        Map.entry("KUBECONFIG", cluster.kubeconfig().toString()), Map.entry("POD_NAMESPACE", namespace),
        Map.entry("ECI_REGION", "cn-hangzhou"), Map.entry("ECI_ACCESS_KEY", "ak"), Map.entry("ECI_SECRET_KEY", "sk"),
        Map.entry("ECI_CLUSTER_ID", clusterId), Map.entry("ECI_SECURITY_GROUP", "sg-emulator"),
        Map.entry("ECI_VSWITCH", "vsw-zonea,vsw-zoneb"), Map.entry("ECI_ENDPOINT", emulator.endpoint()),
        Map.entry("ECI_PROTOCOL", "http"), Map.entry("ECI_KUBE_PROXY", "false"),
        Map.entry("ECI_STATUS_POLL_SECONDS", "1"));
    // replica 0 logs JSON lines, the others text
    return NodeProcess.start(node(ordinal), environment, List.of("--log-format", ordinal == 0 ? "json" : "text",
        "--provider", "eci", "--kubelet-port", "0",
        "--internal-ip", "127.0.0.1", "--pod-sync-workers", "4", "--node-lease-duration", "4s",
        "--cluster-sweep-period", "2s", "--cluster-sweep-safety-age", "2s", "--abandoned-node-age", "10s",
        "--retirement-timeout", "20s"));
  }

  private String node(int ordinal) {
    return set + "-" + ordinal;
  }

  private void awaitReady(int ordinal) {
    await(node(ordinal) + " Ready").atMost(TIMEOUT).ignoreExceptionsInstanceOf(ApiException.class).until(() -> {
      assertThat(nodes[ordinal].isAlive()).as("%s runs; log %s", node(ordinal), nodes[ordinal].log).isTrue();
      V1Node node = core.readNode(node(ordinal)).execute();
      return node.getStatus().getConditions() != null && node.getStatus().getConditions().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    });
  }

  private boolean nodeExists(int ordinal) throws ApiException {
    try {
      core.readNode(node(ordinal)).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The StatefulSet whose replica count the nodes follow; its own pods never run (no real node here). */
  private void createStatefulSet(int replicas) throws ApiException {
    Map<String, String> labels = Map.of("app", set);
    new AppsV1Api(cluster.client()).createNamespacedStatefulSet(namespace, new V1StatefulSet()
        .metadata(new V1ObjectMeta().name(set))
        .spec(new V1StatefulSetSpec().replicas(replicas).serviceName(set).podManagementPolicy("Parallel")
            .selector(new V1LabelSelector().matchLabels(labels))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels))
                .spec(new V1PodSpec().putNodeSelectorItem("vk4j.io/no-such-node", "true")
                    .addContainersItem(new V1Container().name("virtual-node").image("vk4j/virtual-node"))))))
        .execute();
  }

  private void createDeployment() throws ApiException {
    Map<String, String> labels = Map.of("app", "web");
    new AppsV1Api(cluster.client()).createNamespacedDeployment(namespace, new V1Deployment()
        .metadata(new V1ObjectMeta().name("web"))
        .spec(new V1DeploymentSpec().replicas(PODS).selector(new V1LabelSelector().matchLabels(labels))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels))
                .spec(new V1PodSpec()
                    .putNodeSelectorItem("vk4j.io/eci-cluster", clusterId) // these nodes, not another test's
                    .addTolerationsItem(new V1Toleration().key("virtual-kubelet.io/provider").operator("Exists"))
                    .addTopologySpreadConstraintsItem(new V1TopologySpreadConstraint().maxSkew(1)
                        .topologyKey("kubernetes.io/hostname").whenUnsatisfiable("ScheduleAnyway")
                        .labelSelector(new V1LabelSelector().matchLabels(labels)))
                    .addContainersItem(new V1Container().name("web").image("nginx"))))))
        .execute();
  }

  private List<V1Pod> pods() throws ApiException {
    return core.listNamespacedPod(namespace).labelSelector("app=web").execute().getItems();
  }

  private List<V1Pod> running() throws ApiException {
    return pods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())).toList();
  }

  private List<V1Pod> podsOn(String nodeName) throws ApiException {
    return pods().stream().filter(p -> nodeName.equals(p.getSpec().getNodeName())).toList();
  }

  private static Set<String> uids(List<V1Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  /** Pods of the Deployment now that were not there before. */
  private int recreated(Set<String> before) throws ApiException {
    return (int) pods().stream().filter(p -> !before.contains(p.getMetadata().getUid())).count();
  }

  private List<ContainerGroupSnapshot> clusterGroups() {
    return emulator.containerGroups().stream().filter(g -> clusterId.equals(g.tags().get(CLUSTER_TAG))).toList();
  }

  private Set<String> groupIds() {
    return clusterGroups().stream().map(ContainerGroupSnapshot::id).collect(Collectors.toSet());
  }

  private long groupsOf(String nodeName) {
    return clusterGroups().stream().filter(g -> nodeName.equals(g.tags().get(NODE_TAG))).count();
  }

  /** Container groups of the cluster whose pod (namespace, name, UID) no longer exists in the API server. */
  private int groupsLeft() throws ApiException {
    Set<String> live = uids(core.listNamespacedPod(namespace).execute().getItems());
    return (int) clusterGroups().stream().filter(g -> !live.contains(g.tags().get("vk4j.io/uid"))).count();
  }
}
