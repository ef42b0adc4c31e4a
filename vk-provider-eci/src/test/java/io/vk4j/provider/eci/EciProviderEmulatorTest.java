package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.PodStats;
import io.vk4j.api.Providers;
import io.vk4j.api.TerminalSize;
import io.vk4j.eci.emulator.ContainerGroupSnapshot;
import io.vk4j.eci.emulator.EciEmulator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider against the ECI emulator, through the real Alibaba SDK. */
class EciProviderEmulatorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private EmulatorFixture fixture = new EmulatorFixture();
  private EciProvider provider;

  @AfterEach
  void close() {
    if (provider != null) {
      provider.close();
    }
    fixture.close();
  }

  private ContainerGroupSnapshot groupOf(V1Pod pod) {
    return fixture.emulator.containerGroups().stream()
        .filter(g -> pod.getMetadata().getUid().equals(g.tags().get(GroupTags.UID)))
        .findFirst().orElseThrow();
  }

  @Test
  void theFactoryIsRegisteredAsEciAndRejectsBadSettingsAtOnce() {
    assertThat(Providers.byName("eci")).isInstanceOf(EciProviderFactory.class);
    fixture.env.remove("ECI_SECURITY_GROUP");
    fixture.env.put("ECI_VSWITCH", "nope");
    assertThatThrownBy(() -> fixture.provider("vk-bad"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ECI_SECURITY_GROUP").hasMessageContaining("'nope'");
  }

  @Test
  void aPodRunsWithItsGroupsIpAndIsDeletedWithIt() throws Exception {
    provider = fixture.provider("vk-life");
    V1Pod pod = EmulatorFixture.pod("shop", "web-1");
    provider.createPod(pod);

    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    ContainerGroupSnapshot group = groupOf(pod);
    V1PodStatus status = fixture.latest(pod).getStatus();
    assertThat(status.getPodIP()).isEqualTo(group.intranetIp().orElseThrow());
    assertThat(status.getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(group.tags()).containsEntry(GroupTags.CLUSTER, fixture.env.get("ECI_CLUSTER_ID"))
        .containsEntry(GroupTags.NODE, "vk-life").containsEntry(GroupTags.NAMESPACE, "shop")
        .containsEntry(GroupTags.POD, "web-1");
    assertThat(group.cpu()).isEqualTo(1.0);
    assertThat(group.memory()).isEqualTo(2.0);
    assertThat(group.clientToken()).contains("vk4j-" + pod.getMetadata().getUid());
    assertThat(group.securityGroupId()).contains("sg-emulator");
    assertThat(provider.getPod("shop", "web-1")).get().satisfies(p -> {
      assertThat(p.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid());
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    });

    provider.deletePod(pod);
    await().atMost(TIMEOUT).until(() -> "Succeeded".equals(fixture.phaseOf(pod)));
    await().atMost(TIMEOUT).until(() -> fixture.emulator.containerGroup(group.id())
        .map(g -> g.status().equals("Terminating")).orElse(true));
    // deleting again, or a group already gone, is success
    provider.deletePod(pod);
    assertThat(fixture.events.of("web-1")).extracting(RecordingEvents.Event::reason)
        .contains("EciContainerGroupCreated", "EciContainerGroupDeleted");
  }

  @Test
  void nothingChangingMeansNoNotificationsAndNoDetailCalls() throws Exception {
    provider = fixture.provider("vk-quiet");
    V1Pod pod = EmulatorFixture.pod("shop", "web-quiet");
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    long settled = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > settled + 3);

    long notifications = fixture.notifications.size();
    long describes = provider.apiCalls().getOrDefault("DescribeContainerGroups", 0L);
    long rounds = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > rounds + 3);
    assertThat(fixture.notifications).hasSize((int) notifications);
    assertThat(provider.apiCalls().getOrDefault("DescribeContainerGroups", 0L)).isEqualTo(describes);
    assertThat(provider.apiCalls().get("DescribeContainerGroupStatus")).isGreaterThan(3L);
  }

  @Test
  void aRetriedCreateMakesNoSecondGroup() throws Exception {
    provider = fixture.provider("vk-idem");
    V1Pod pod = EmulatorFixture.pod("shop", "web-idem");
    provider.createPod(pod);
    provider.createPod(pod);
    // a second provider (a restarted controller that has not listed yet) retrying the same create
    try (EciProvider other = fixture.provider("vk-idem")) {
      other.createPod(pod);
    }
    assertThat(fixture.emulator.containerGroups()).filteredOn(g -> g.name().equals("shop-web-idem")).hasSize(1);
  }

  @Test
  void aJobSucceedsAndItsStatusOutlivesTheGroup() throws Exception {
    fixture.close();
    fixture = new EmulatorFixture(EciEmulator.builder().region(EmulatorFixture.REGION)
        .groupTransitionDelay(Duration.ofMillis(200)).terminalRetention(Duration.ofSeconds(2)).retainedTerminalGroups(0));
    fixture.env.put("ECI_FULL_RESYNC_SECONDS", "1");
    provider = fixture.provider("vk-job");
    V1Pod pod = TestPods.load("job-pod");
    pod.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("EMULATOR_EXIT_AFTER").value("1"));
    provider.createPod(pod);

    await().atMost(TIMEOUT).until(() -> "Succeeded".equals(fixture.phaseOf(pod)));
    V1PodStatus done = fixture.latest(pod).getStatus();
    assertThat(done.getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isZero();
    // ECI purges the group; the provider still knows how the pod ended
    await().atMost(TIMEOUT).until(() -> fixture.emulator.containerGroups().isEmpty());
    long rounds = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > rounds + 3);
    assertThat(provider.getPodStatus("batch", "pi-28473920-x7k2p")).get()
        .satisfies(s -> assertThat(s.getPhase()).isEqualTo("Succeeded"));
    assertThat(fixture.latest(pod).getStatus().getPhase()).isEqualTo("Succeeded");
    // and deleting it afterwards is success
    provider.deletePod(pod);
  }

  @Test
  void aFailingJobReportsItsExitCode() throws Exception {
    provider = fixture.provider("vk-fail");
    V1Pod pod = TestPods.load("job-pod");
    pod.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("EMULATOR_EXIT_AFTER").value("0.5"))
        .addEnvItem(new V1EnvVar().name("EMULATOR_EXIT_CODE").value("3"));
    provider.createPod(pod);

    await().atMost(TIMEOUT).until(() -> "Failed".equals(fixture.phaseOf(pod)));
    assertThat(fixture.latest(pod).getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(3);
  }

  @Test
  void ecisEventsBecomePodEventsOnce() throws Exception {
    provider = fixture.provider("vk-events");
    V1Pod pod = EmulatorFixture.pod("shop", "web-events");
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    List<String> eciEvents = groupOf(pod).eventReasons();
    assertThat(eciEvents).isNotEmpty();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(fixture.events.of("web-events"))
        .extracting(RecordingEvents.Event::reason).containsAll(eciEvents));
    long rounds = provider.statusRounds();
    await().atMost(TIMEOUT).until(() -> provider.statusRounds() > rounds + 3);
    for (String reason : eciEvents) {
      long expected = eciEvents.stream().filter(reason::equals).count();
      assertThat(fixture.events.of("web-events")).filteredOn(e -> e.reason().equals(reason)).hasSize((int) expected);
    }
  }

  @Test
  void aRestartedProviderListsAndAdoptsItsGroupsAndNotOthers() throws Exception {
    provider = fixture.provider("vk-a");
    V1Pod first = EmulatorFixture.pod("shop", "a-1");
    V1Pod second = EmulatorFixture.pod("batch", "a-2");
    provider.createPod(first);
    provider.createPod(second);
    try (EciProvider otherNode = fixture.provider("vk-b")) {
      otherNode.createPod(EmulatorFixture.pod("shop", "b-1"));
    }
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(first)) && "Running".equals(fixture.phaseOf(second)));
    provider.close();
    int eventsBefore = fixture.events.events.size();

    provider = fixture.provider("vk-a");
    List<V1Pod> listed = provider.listPods();
    assertThat(listed).extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + "/"
        + p.getMetadata().getUid()).containsExactlyInAnyOrder(
            "shop/a-1/" + first.getMetadata().getUid(), "batch/a-2/" + second.getMetadata().getUid());
    assertThat(listed).allSatisfy(p -> {
      assertThat(p.getStatus().getPhase()).isEqualTo("Running");
      assertThat(p.getMetadata().getCreationTimestamp()).isNotNull();
    });
    // adopting: a create for a listed pod keeps its group, and old ECI events are not repeated
    provider.createPod(first);
    assertThat(fixture.emulator.containerGroups()).filteredOn(g -> g.name().equals("shop-a-1")).hasSize(1);
    assertThat(fixture.events.events.subList(eventsBefore, fixture.events.events.size()))
        .noneMatch(e -> e.reason().startsWith("Eci") == false && e.pod().equals("a-1"));
    // an orphan (its pod gone from the API) is deleted by the runtime through deletePod
    provider.deletePod(second);
    await().atMost(TIMEOUT).until(() -> fixture.emulator.containerGroups().stream()
        .noneMatch(g -> g.name().equals("batch-a-2") && !g.status().equals("Terminating")));
  }

  @Test
  void aGroupDeletedBehindOurBackFailsThePod() throws Exception {
    fixture.env.put("ECI_FULL_RESYNC_SECONDS", "1");
    provider = fixture.provider("vk-vanish");
    V1Pod pod = EmulatorFixture.pod("shop", "web-vanish");
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    try (EciProvider intruder = fixture.provider("vk-vanish")) {
      intruder.listPods();
      intruder.deletePod(pod);
    }
    await().atMost(TIMEOUT).until(() -> fixture.emulator.containerGroups().isEmpty());
    await().atMost(TIMEOUT).until(() -> "Failed".equals(fixture.phaseOf(pod)));
    assertThat(fixture.latest(pod).getStatus().getReason()).isEqualTo("ContainerGroupNotFound");
  }

  /** What the strict emulator accepts from the provider, seen from inside the group: modes, host name, sysctls. */
  @Test
  void theServiceSeesTheDocumentedEncodings() throws Exception {
    provider = fixture.provider("vk-encodings");
    V1Pod pod = EmulatorFixture.pod("shop", "web-" + "n".repeat(130));
    pod.getSpec().securityContext(new io.kubernetes.client.openapi.models.V1PodSecurityContext()
        .addSysctlsItem(new io.kubernetes.client.openapi.models.V1Sysctl().name("net.core.somaxconn").value("1024")));
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    ContainerRef web = ContainerRef.of("shop", pod.getMetadata().getName(), "web");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    provider.runInContainer(web, List.of("stat", "-c", "%a", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
        io(out, false));
    // Kubernetes' defaultMode 420 is 0644: sent as the API documents it, the file gets rw-r--r--
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("644\n");
    out.reset();
    provider.runInContainer(web, List.of("hostname"), io(out, false));
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).hasSize(63).startsWith("web-nnn");
    assertThat(groupOf(pod).parameters()).containsEntry("HostSecurityContext.Sysctl.1.Name", "net.core.somaxconn");
    // the long pod name is whole in the tags, found back by the provider
    assertThat(provider.getPod("shop", pod.getMetadata().getName())).isPresent();
  }

  @Test
  void logsAreAskedWithinEcisBoundsAndSayWhenTheyAreCut() throws Exception {
    provider = fixture.provider("vk-logs");
    V1Pod pod = EmulatorFixture.pod("shop", "web-logs");
    pod.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("EMULATOR_LOG_LINES").value("2100"));
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    ContainerRef web = ContainerRef.of("shop", "web-logs", "web");
    // without a tail ECI would answer 500 lines: the provider asks for its maximum and says what is missing
    try (InputStream log = provider.containerLogs(web, ContainerLogOptions.defaults())) {
      List<String> lines = new String(log.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      assertThat(lines).hasSize(2001).endsWith("[vk4j: ECI returns at most the last 2000 lines of a log; earlier lines"
          + " are not shown]");
    }
    try (InputStream log = provider.containerLogs(web, ContainerLogOptions.builder().tailLines(10)
        .sinceTime(java.time.Instant.now().minusSeconds(60).plusNanos(123_000_000)).build())) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8).lines().count()).isEqualTo(10);
    }
    // ExecContainerCommand's bounds are checked before the call
    assertThatThrownBy(() -> provider.runInContainer(web, java.util.Collections.nCopies(21, "x"),
        io(new ByteArrayOutputStream(), false))).isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 20");
  }

  @Test
  void aForceDeletedPodsGroupIsGoneAtOnce() throws Exception {
    provider = fixture.provider("vk-force");
    V1Pod pod = EmulatorFixture.pod("shop", "web-force");
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    String id = groupOf(pod).id();
    pod.getMetadata().deletionGracePeriodSeconds(0L);
    provider.deletePod(pod);
    assertThat(fixture.emulator.containerGroup(id)).isEmpty();
  }

  @Test
  void logsExecAndStats() throws Exception {
    provider = fixture.provider("vk-ops");
    V1Pod pod = EmulatorFixture.pod("shop", "web-ops");
    pod.getSpec().getContainers().get(0).addEnvItem(new V1EnvVar().name("EMULATOR_LOG").value("hello\\nworld"));
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));
    ContainerRef web = ContainerRef.of("shop", "web-ops", "web");

    try (InputStream log = provider.containerLogs(web, ContainerLogOptions.defaults())) {
      assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8)).contains("hello").contains("world");
    }
    try (InputStream log = provider.containerLogs(web, ContainerLogOptions.builder().tailLines(1).build())) {
      String text = new String(log.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text.lines().count()).isEqualTo(1);
    }
    try (InputStream log = provider.containerLogs(web, ContainerLogOptions.builder().limitBytes(3).build())) {
      assertThat(log.readAllBytes()).hasSizeLessThanOrEqualTo(3);
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = provider.runInContainer(web, List.of("echo", "hi", "there"), io(out, false));
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("hi there");
    // kubectl exec -i: ECI's WebSocket session, with the command's exit code
    out.reset();
    assertThat(provider.runInContainer(web, List.of("sh"), io(new java.io.ByteArrayInputStream(
        "echo hi\nexit 3\n".getBytes(StandardCharsets.UTF_8)), out, false, null))).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
    // kubectl exec -it: a terminal of the client's size
    out.reset();
    assertThat(provider.runInContainer(web, List.of("/bin/sh"), io(new java.io.ByteArrayInputStream(
        "stty size\rexit\r".getBytes(StandardCharsets.UTF_8)), out, true, TerminalSize.of(100, 30)))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("30 100");
    assertThatThrownBy(() -> provider.runInContainer(ContainerRef.of("shop", "web-ops", "nope"), List.of("ls"),
        io(out, false))).isInstanceOf(io.vk4j.api.NotFoundException.class);

    List<PodStats> stats = provider.podStats();
    assertThat(stats).singleElement().satisfies(s -> {
      assertThat(s.uid()).isEqualTo(pod.getMetadata().getUid());
      assertThat(s.containers()).extracting(c -> c.name()).contains("web");
    });
  }

  @Test
  void anImageChangeUpdatesTheGroup() throws Exception {
    provider = fixture.provider("vk-upd");
    fixture.resources.secret("shop", "acr", java.util.Map.of(".dockerconfigjson",
        "{\"auths\":{\"registry-vpc.cn-hangzhou.aliyuncs.com\":{\"username\":\"u\",\"password\":\"p\"}}}"));
    V1Pod pod = EmulatorFixture.pod("shop", "web-upd");
    pod.getSpec().addImagePullSecretsItem(new io.kubernetes.client.openapi.models.V1LocalObjectReference().name("acr"));
    provider.createPod(pod);
    await().atMost(TIMEOUT).until(() -> "Running".equals(fixture.phaseOf(pod)));

    V1Pod relabelled = TestPods.load("deployment-pod");
    relabelled.metadata(pod.getMetadata()).getMetadata().putLabelsItem("tier", "front");
    provider.updatePod(relabelled);
    assertThat(fixture.emulator.callCount("UpdateContainerGroup")).isZero();

    V1Pod newImage = TestPods.load("deployment-pod");
    newImage.getSpec().imagePullSecrets(pod.getSpec().getImagePullSecrets());
    newImage.metadata(pod.getMetadata()).getSpec().getContainers().get(0).image("registry-vpc.cn-hangzhou.aliyuncs.com/shop/web:1.5.0");
    provider.updatePod(newImage);
    await().atMost(TIMEOUT).until(() -> groupOf(pod).containers().get(0).image().endsWith(":1.5.0"));
    // an incremental update: the volumes stay, the new image from the private registry is pulled and runs
    await().atMost(TIMEOUT).until(() -> "Running".equals(groupOf(pod).status())
        && groupOf(pod).containers().get(0).state().equals("Running"));
    assertThat(groupOf(pod).parameters()).containsKey("Volume.1.Name");
  }

  @Test
  void theNodeAdvertisesTheConfiguredCapacity() throws Exception {
    fixture.env.put("ECI_QUOTA_PODS", "1234");
    provider = fixture.provider("vk-node");
    V1Node node = new V1Node();
    provider.configureNode(node);
    assertThat(node.getStatus().getCapacity().get("pods").getNumber().intValue()).isEqualTo(1234);
    assertThat(node.getStatus().getAllocatable().get("cpu").getNumber().intValue()).isEqualTo(6000);
    assertThat(node.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/region", "cn-hangzhou");
    provider.ping();
  }

  private static AttachIO io(OutputStream out, boolean tty) {
    return io(null, out, tty, null);
  }

  private static AttachIO io(InputStream in, OutputStream out, boolean tty, TerminalSize size) {
    return new AttachIO() {
      @Override
      public Optional<InputStream> stdin() {
        return Optional.ofNullable(in);
      }

      @Override
      public Optional<OutputStream> stdout() {
        return Optional.of(out);
      }

      @Override
      public Optional<OutputStream> stderr() {
        return Optional.empty();
      }

      @Override
      public boolean tty() {
        return tty;
      }

      @Override
      public void onResize(Consumer<TerminalSize> listener) {
        if (size != null) {
          listener.accept(size);
        }
      }
    };
  }
}
