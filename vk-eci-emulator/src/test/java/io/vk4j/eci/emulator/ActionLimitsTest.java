package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented bounds and shapes of the actions besides CreateContainerGroup: log Tail/LimitBytes/StartTime,
 * exec commands, the states Update and Restart accept, UpdateType, Force, MetricType, retention of ended groups,
 * flow control and a key without RAM permission. Each refuses the bad request and accepts the good one.
 */
class ActionLimitsTest {

  private final MutableClock clock = new MutableClock(Instant.now());
  private EciEmulator emulator;
  private SdkClient eci;

  @BeforeEach
  void start() {
    start(EciEmulator.builder());
  }

  private void start(EciEmulator.Builder builder) {
    emulator = builder.credentials("ak", "sk").clock(clock).groupTransitionDelay(Duration.ofSeconds(1)).build().start();
    eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String running(Map<String, Object> container) throws Exception {
    String id = (String) eci.call("CreateContainerGroup", create("group", Map.of(), container)).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));
    assertThat(emulator.containerGroup(id).orElseThrow().status()).isEqualTo("Running");
    return id;
  }

  private static void refused(ThrowingCallable call, String code, String text) {
    assertThatThrownBy(call).satisfies(e -> {
      assertThat(SdkClient.codeOf((Exception) e)).isEqualTo(code);
      assertThat(e).hasMessageContaining(text);
    });
  }

  private String log(String id, Object... params) throws Exception {
    Object[] all = new Object[params.length + 4];
    all[0] = "ContainerGroupId";
    all[1] = id;
    all[2] = "ContainerName";
    all[3] = "app";
    System.arraycopy(params, 0, all, 4, params.length);
    return (String) eci.call("DescribeContainerLog", region(all)).get("Content");
  }

  @Test
  void logTailDefaultsTo500AndIsAtMost2000() throws Exception {
    Map<String, Object> app = container("app", "busybox");
    app.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_LOG_LINES", "Value", "600")));
    String id = running(app);

    assertThat(log(id).lines().count()).isEqualTo(500);
    assertThat(log(id, "Tail", 2000).lines().count()).isEqualTo(600);
    refused(() -> log(id, "Tail", 2001), "InvalidParameter", "Tail");
  }

  @Test
  void logLimitBytesIsOneToOneMebibyte() throws Exception {
    String id = running(container("app", "busybox"));
    assertThat(log(id, "LimitBytes", 1)).hasSize(1);
    assertThat(log(id, "LimitBytes", 1024 * 1024)).isNotEmpty();
    refused(() -> log(id, "LimitBytes", 0), "InvalidParameter", "LimitBytes");
    refused(() -> log(id, "LimitBytes", 1024 * 1024 + 1), "InvalidParameter", "LimitBytes");
  }

  @Test
  void logStartTimeIsUtcWithWholeSeconds() throws Exception {
    String id = running(container("app", "busybox"));
    assertThat(log(id, "StartTime", "2020-01-01T00:00:00Z")).isNotEmpty();
    refused(() -> log(id, "StartTime", "2020-01-01T00:00:00.5Z"), "InvalidParameter", "StartTime");
    refused(() -> log(id, "StartTime", "2020-01-01T08:00:00+08:00"), "InvalidParameter", "StartTime");
  }

  private String exec(String id, String command, boolean tty) throws Exception {
    return (String) eci.call("ExecContainerCommand", region("ContainerGroupId", id, "ContainerName", "app",
        "Command", command, "Sync", true, "TTY", tty)).get("SyncResponse");
  }

  @Test
  void execCommandsHaveAtMost20EntriesOf256Characters() throws Exception {
    String id = running(container("app", "busybox"));
    StringBuilder twenty = new StringBuilder("[\"echo\"");
    for (int i = 1; i < 20; i++) {
      twenty.append(",\"w\"");
    }
    assertThat(exec(id, twenty + "]", false)).startsWith("w w");
    refused(() -> exec(id, twenty + ",\"w\"]", false), "InvalidParameter", "Command");
    assertThat(exec(id, "[\"echo\",\"" + "x".repeat(256) + "\"]", false)).hasSize(257);
    refused(() -> exec(id, "[\"echo\",\"" + "x".repeat(257) + "\"]", false), "InvalidParameter", "Command");
  }

  @Test
  void aSyncExecNeedsTtyFalseAndNoBareShell() throws Exception {
    String id = running(container("app", "busybox"));
    refused(() -> exec(id, "[\"echo\",\"hi\"]", true), "InvalidParameter", "TTY");
    refused(() -> exec(id, "[\"/bin/bash\"]", false), "InvalidParameter", "Command");
    assertThat(exec(id, "[\"/bin/sh\",\"-c\",\"echo hi\"]", false)).isEqualTo("hi\n");
  }

  @Test
  void updateAndRestartAcceptPendingAndRunningGroupsOnly() throws Exception {
    Map<String, Object> job = container("app", "busybox");
    job.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_EXIT_AFTER", "Value", "1")));
    String done = (String) eci.call("CreateContainerGroup", with(create("job", Map.of(), job), "RestartPolicy", "Never"))
        .get("ContainerGroupId");
    String pending = (String) eci.call("CreateContainerGroup", create("pending", Map.of(), container("app", "busybox")))
        .get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(1));
    assertThat(emulator.containerGroup(pending).orElseThrow().status()).isEqualTo("Pending");
    eci.call("RestartContainerGroup", region("ContainerGroupId", pending));
    clock.advance(Duration.ofSeconds(5));
    assertThat(emulator.containerGroup(done).orElseThrow().status()).isEqualTo("Succeeded");

    refused(() -> eci.call("RestartContainerGroup", region("ContainerGroupId", done)), "IncorrectStatus", "Succeeded");
    refused(() -> eci.call("UpdateContainerGroup", region("ContainerGroupId", done, "UpdateType", "IncrementalUpdate",
        "Container", List.of(container("app", "busybox:2")))), "IncorrectStatus", "Succeeded");
    eci.call("UpdateContainerGroup", region("ContainerGroupId", pending, "UpdateType", "IncrementalUpdate",
        "Container", List.of(container("app", "busybox:2"))));
  }

  @Test
  void aRenewUpdateReplacesEverythingItDoesNotName() throws Exception {
    Map<String, Object> app = container("app", "registry.example.com/team/app:1");
    app.put("VolumeMount", List.of(Map.of("Name", "config", "MountPath", "/etc/app")));
    Map<String, Object> request = create("private", Map.of(), app);
    request.put("Volume", List.of(Map.of("Name", "config", "Type", "ConfigFileVolume", "ConfigFileVolume",
        Map.of("ConfigFileToPath", List.of(Map.of("Path", "a", "Content", Base64.getEncoder().encodeToString(
            "x".getBytes(StandardCharsets.UTF_8))))))));
    request.put("ImageRegistryCredential", List.of(Map.of("Server", "registry.example.com", "UserName", "u",
        "Password", "p")));
    String id = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));
    Map<String, Object> newImage = container("app", "registry.example.com/team/app:2");
    newImage.put("VolumeMount", List.of(Map.of("Name", "config", "MountPath", "/etc/app")));

    // RenewUpdate (the default) with the containers only: the volume is gone, the mount names nothing
    refused(() -> eci.call("UpdateContainerGroup", region("ContainerGroupId", id, "Container", List.of(newImage))),
        "InvalidParameter", "unknown volume");
    // with the volume but without the credentials: the update goes through, the private image cannot be pulled
    eci.call("UpdateContainerGroup", region("ContainerGroupId", id, "Container", List.of(newImage),
        "Volume", request.get("Volume")));
    clock.advance(Duration.ofSeconds(2));
    assertThat(emulator.containerGroup(id).orElseThrow().containers().get(0).state()).isEqualTo("Waiting");

    // IncrementalUpdate keeps what it does not name: volumes and credentials stay, the image runs
    String other = (String) eci.call("CreateContainerGroup", with(request, "ContainerGroupName", "private-2"))
        .get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));
    eci.call("UpdateContainerGroup", region("ContainerGroupId", other, "UpdateType", "IncrementalUpdate",
        "Container", List.of(newImage)));
    clock.advance(Duration.ofSeconds(2));
    assertThat(emulator.containerGroup(other).orElseThrow().containers().get(0).state()).isEqualTo("Running");
  }

  @Test
  void forceDeleteRemovesTheGroupAtOnce() throws Exception {
    String graceful = running(container("app", "busybox"));
    String forced = (String) eci.call("CreateContainerGroup", create("forced", Map.of(), container("app", "busybox")))
        .get("ContainerGroupId");
    eci.call("DeleteContainerGroup", region("ContainerGroupId", graceful));
    eci.call("DeleteContainerGroup", region("ContainerGroupId", forced, "Force", true));
    assertThat(emulator.containerGroup(graceful).orElseThrow().status()).isEqualTo("Terminating");
    assertThat(emulator.containerGroup(forced)).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void multiGroupMetricsHaveRecordsOnlyWithMetricTypeSummary() throws Exception {
    String id = running(container("app", "busybox"));
    List<Map<String, Object>> plain = (List<Map<String, Object>>) eci.call("DescribeMultiContainerGroupMetric",
        region("ContainerGroupIds", "[\"" + id + "\"]")).get("MonitorDatas");
    assertThat((List<?>) plain.get(0).get("Records")).isEmpty();
    List<Map<String, Object>> summary = (List<Map<String, Object>>) eci.call("DescribeMultiContainerGroupMetric",
        region("ContainerGroupIds", "[\"" + id + "\"]", "MetricType", "summary")).get("MonitorDatas");
    assertThat((List<?>) summary.get(0).get("Records")).hasSize(1);
  }

  @Test
  void endedGroupsStayAnHourThenOnlyTheNewestAreKept() throws Exception {
    emulator.close();
    start(EciEmulator.builder().terminalRetention(Duration.ofHours(1)).retainedTerminalGroups(2));
    Map<String, Object> job = container("app", "busybox");
    job.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_EXIT_AFTER", "Value", "1")));
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = (String) eci.call("CreateContainerGroup", with(create("job-" + i, Map.of(), job), "RestartPolicy", "Never"))
          .get("ContainerGroupId");
      clock.advance(Duration.ofSeconds(5));
    }
    clock.advance(Duration.ofMinutes(59));
    assertThat(emulator.containerGroups()).hasSize(3);
    clock.advance(Duration.ofMinutes(2));
    assertThat(emulator.containerGroups()).extracting(ContainerGroupSnapshot::id).containsExactly(ids[1], ids[2]);
  }

  @Test
  void flowControlAnswersDegradeApiAsWellAsThrottling() throws Exception {
    emulator.faults().degradeNext("DescribeContainerGroups", 1);
    refused(() -> eci.call("DescribeContainerGroups", region()), FaultInjector.DEGRADE_CODE, "flow control");
    assertThat(eci.call("DescribeContainerGroups", region())).containsKey("ContainerGroups");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aKeyWithoutRamPermissionListsNothingAndCreatesNothing() throws Exception {
    String id = running(container("app", "busybox"));
    emulator.faults().ramPermission(false);

    assertThat((List<?>) eci.call("DescribeContainerGroups", region("ContainerGroupIds", "[\"" + id + "\"]"))
        .get("ContainerGroups")).isEmpty();
    assertThat((List<?>) eci.call("DescribeContainerGroupStatus", region()).get("Data")).isEmpty();
    assertThatThrownBy(() -> eci.call("CreateContainerGroup", create("x", Map.of(), container("app", "busybox"))))
        .satisfies(e -> {
          assertThat(SdkClient.codeOf((Exception) e)).isEqualTo(FaultInjector.RAM_DENIED_CODE);
          assertThat(SdkClient.statusOf((Exception) e)).isEqualTo(403);
        });
    emulator.faults().ramPermission(true);
    assertThat((List<Map<String, Object>>) eci.call("DescribeContainerGroups", region()).get("ContainerGroups"))
        .hasSize(1);
  }
}
