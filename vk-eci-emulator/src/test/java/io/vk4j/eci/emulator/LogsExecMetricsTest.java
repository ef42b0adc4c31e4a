package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogsExecMetricsTest {

  private EciEmulator emulator;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /** A running group whose container logs two lines and mounts a config file at /etc/app/app.conf. */
  private String runningGroup(SdkClient eci) throws Exception {
    Map<String, Object> app = container("app", "busybox:1.36");
    app.put("EnvironmentVar", List.of(
        Map.of("Key", "EMULATOR_LOG", "Value", "hello\nworld"),
        Map.of("Key", "GREETING", "Value", "bonjour"),
        Map.of("Key", "POD_IP", "FieldRef", Map.of("FieldPath", "status.podIP"))));
    app.put("VolumeMount", List.of(Map.of("Name", "config", "MountPath", "/etc/app", "ReadOnly", true)));
    app.put("WorkingDir", "/srv");
    String content = Base64.getEncoder().encodeToString("port=8080\n".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> request = with(create("logs", Map.of(), app), "Volume", List.of(Map.of(
        "Name", "config", "Type", "ConfigFileVolume",
        "ConfigFileVolume", Map.of("ConfigFileToPath", List.of(Map.of("Path", "app.conf", "Content", content, "Mode", "0644"))))));
    String id = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");
    assertThat(emulator.containerGroup(id).orElseThrow().status()).isEqualTo("Running");
    return id;
  }

  private static String log(SdkClient eci, String id, Object... extra) throws Exception {
    Map<String, Object> params = region("ContainerGroupId", id, "ContainerName", "app");
    for (int i = 0; i < extra.length; i += 2) {
      params.put((String) extra[i], extra[i + 1]);
    }
    return (String) eci.call("DescribeContainerLog", params).get("Content");
  }

  private static String exec(SdkClient eci, String id, String commandJson) throws Exception {
    return (String) eci.call("ExecContainerCommand", region("ContainerGroupId", id, "ContainerName", "app", "Command", commandJson, "Sync", true)).get("SyncResponse");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void logsHonourTailLimitBytesAndTimestamps(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String id = runningGroup(eci);

    assertThat(log(eci, id)).isEqualTo("hello\nworld\n");
    assertThat(log(eci, id, "Tail", 1)).isEqualTo("world\n");
    assertThat(log(eci, id, "LimitBytes", 3)).isEqualTo("hel");
    assertThat(log(eci, id, "Timestamps", true)).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\S+Z hello\n\\S+Z world\n");
    assertThat(log(eci, id, "StartTime", "2999-01-01T00:00:00Z")).isEmpty();
    Exception unknown = catchException(() -> eci.call("DescribeContainerLog", region("ContainerGroupId", id, "ContainerName", "nope")));
    assertThat(SdkClient.codeOf(unknown)).isEqualTo("InvalidParameter");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void syncExecAnswersBuiltInCommands(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String id = runningGroup(eci);
    String ip = emulator.containerGroup(id).orElseThrow().intranetIp().orElseThrow();

    assertThat(exec(eci, id, "[\"cat\",\"/etc/app/app.conf\"]")).isEqualTo("port=8080\n");
    assertThat(exec(eci, id, "[\"sh\",\"-c\",\"echo hi there\"]")).isEqualTo("hi there\n");
    assertThat(exec(eci, id, "[\"printenv\",\"GREETING\"]")).isEqualTo("bonjour\n");
    assertThat(exec(eci, id, "[\"printenv\",\"POD_IP\"]")).isEqualTo(ip + "\n");
    assertThat(exec(eci, id, "[\"pwd\"]")).isEqualTo("/srv\n");
    assertThat(exec(eci, id, "[\"ls\",\"/etc/app\"]")).isEqualTo("app.conf\n");
    assertThat(exec(eci, id, "[\"frobnicate\"]")).contains("not found");
    // without Sync: a WebSocket session (InteractiveExecTest)
    assertThat(eci.call("ExecContainerCommand", region("ContainerGroupId", id, "ContainerName", "app", "Command", "[\"sh\"]",
        "Sync", false))).containsKey("WebSocketUri");
    Exception badJson = catchException(() -> eci.call("ExecContainerCommand", region("ContainerGroupId", id, "ContainerName", "app", "Command", "ls -l", "Sync", true)));
    assertThat(SdkClient.codeOf(badJson)).isEqualTo("InvalidParameter");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  @SuppressWarnings("unchecked")
  void metricsDescribeRunningGroups(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String id = runningGroup(eci);

    Map<String, Object> single = eci.call("DescribeContainerGroupMetric", region("ContainerGroupId", id));
    Map<String, Object> multi = eci.call("DescribeMultiContainerGroupMetric", region("ContainerGroupIds", "[\"" + id + "\",\"eci-unknown\"]",
        "MetricType", "summary"));

    List<Map<String, Object>> records = (List<Map<String, Object>>) single.get("Records");
    assertThat(records).isNotEmpty();
    Map<String, Object> cpu = (Map<String, Object>) records.get(0).get("CPU");
    assertThat(((Number) cpu.get("UsageNanoCores")).longValue()).isPositive();
    assertThat((List<Map<String, Object>>) records.get(0).get("Containers")).extracting(c -> c.get("Name")).containsExactly("app");
    List<Map<String, Object>> data = (List<Map<String, Object>>) multi.get("MonitorDatas");
    assertThat(data).extracting(d -> d.get("ContainerGroupId")).containsExactly(id);
    Map<String, Object> record = ((List<Map<String, Object>>) data.get(0).get("Records")).get(0);
    assertThat(((Number) ((Map<String, Object>) record.get("Memory")).get("WorkingSet")).longValue()).isPositive();
    assertThat((Map<String, Object>) record.get("CPU")).containsKey("Load");
    assertThat(record).containsKeys("Disk", "Filesystem");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  @SuppressWarnings("unchecked")
  void describeEchoesTheSpecWithEciFieldNames(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String id = runningGroup(eci);

    Map<String, Object> group = ((List<Map<String, Object>>) eci.call("DescribeContainerGroups", region("ContainerGroupName", "logs")).get("ContainerGroups")).get(0);

    assertThat(group.get("ContainerGroupId")).isEqualTo(id);
    Map<String, Object> volume = ((List<Map<String, Object>>) group.get("Volumes")).get(0);
    assertThat(volume).containsEntry("Type", "ConfigFileVolume");
    assertThat((List<Map<String, Object>>) volume.get("ConfigFileVolumeConfigFileToPaths")).extracting(p -> p.get("Path")).containsExactly("app.conf");
    Map<String, Object> app = ((List<Map<String, Object>>) group.get("Containers")).get(0);
    assertThat((List<Map<String, Object>>) app.get("EnvironmentVars")).anySatisfy(e -> assertThat(e).containsEntry("Key", "POD_IP")
        .containsEntry("ValueFrom", Map.of("FieldRef", Map.of("FieldPath", "status.podIP"))));
    assertThat((List<Map<String, Object>>) app.get("VolumeMounts")).singleElement().satisfies(m -> assertThat(m).containsEntry("MountPath", "/etc/app").containsEntry("ReadOnly", true));
    assertThat(emulator.containerGroup(id).orElseThrow().parameters()).containsEntry("Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path", "app.conf")
        .containsEntry("Container.1.EnvironmentVar.3.FieldRef.FieldPath", "status.podIP");
  }
}
