package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContainerGroupLifecycleTest {

  private EciEmulator emulator;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ofMillis(100)).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> groups(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("ContainerGroups");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aRetriedCreateWithTheSameClientTokenMakesOneGroup(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    Map<String, Object> request = with(create("web", Map.of(), container("nginx", "nginx:1.25")), "ClientToken", "pod-uid-1");

    String first = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");
    String second = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");

    assertThat(first).startsWith("eci-").isEqualTo(second);
    assertThat(emulator.containerGroups()).hasSize(1);
    assertThat(emulator.callCount("CreateContainerGroup")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  @SuppressWarnings("unchecked")
  void aGroupGoesThroughSchedulingAndPendingToRunningWithAnIp(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    Map<String, Object> nginx = container("nginx", "nginx:1.25");
    nginx.put("Command", List.of("nginx"));
    nginx.put("Arg", List.of("-g", "daemon off;"));
    String id = (String) eci.call("CreateContainerGroup", create("web", Map.of("app", "web"), nginx)).get("ContainerGroupId");
    assertThat(emulator.containerGroup(id).orElseThrow().status()).isIn("Scheduling", "Pending", "Running");

    await().atMost(Duration.ofSeconds(60)).until(() -> emulator.containerGroup(id).orElseThrow().status().equals("Running"));

    Map<String, Object> group = groups(eci.call("DescribeContainerGroups", region("ContainerGroupIds", "[\"" + id + "\"]",
        "WithEvent", true))).get(0);
    assertThat(group).containsEntry("Status", "Running").containsEntry("ContainerGroupName", "web").containsEntry("VSwitchId", "vsw-test");
    assertThat((String) group.get("IntranetIp")).matches("10\\.\\d+\\.\\d+\\.\\d+");
    assertThat((String) group.get("ZoneId")).startsWith("cn-hangzhou-");
    Map<String, Object> c = ((List<Map<String, Object>>) group.get("Containers")).get(0);
    assertThat(c).containsEntry("Commands", List.of("nginx")).containsEntry("Args", List.of("-g", "daemon off;")).containsEntry("Ready", true);
    assertThat((Map<String, Object>) c.get("CurrentState")).containsEntry("State", "Running");
    List<Map<String, Object>> events = (List<Map<String, Object>>) group.get("Events");
    assertThat(events).extracting(e -> e.get("Reason")).contains("Scheduled", "Pulling", "Pulled", "Created", "Started");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void describeFiltersByTagsOnTheServerAndPages(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    Set<String> mine = new HashSet<>();
    for (int i = 0; i < 21; i++) {
      mine.add((String) eci.call("CreateContainerGroup", create("mine-" + i, Map.of("node", "vk-1", "cluster", "c1"), container("app", "busybox"))).get("ContainerGroupId"));
    }
    for (int i = 0; i < 3; i++) {
      eci.call("CreateContainerGroup", create("other-" + i, Map.of("node", "vk-2", "cluster", "c1"), container("app", "busybox")));
    }

    Set<String> seen = new HashSet<>();
    String token = "";
    int pages = 0;
    do {
      Map<String, Object> params = region("Tag", List.of(Map.of("Key", "node", "Value", "vk-1")), "Limit", 20);
      if (!token.isEmpty()) {
        params.put("NextToken", token);
      }
      Map<String, Object> body = eci.call("DescribeContainerGroups", params);
      for (Map<String, Object> g : groups(body)) {
        seen.add((String) g.get("ContainerGroupId"));
      }
      token = (String) body.get("NextToken");
      pages++;
    } while (!token.isEmpty());

    assertThat(seen).isEqualTo(mine);
    assertThat(pages).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aLimitAboveTwentyIsRefused(SdkClient.Signature signature) {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);

    Exception e = catchException(() -> eci.call("DescribeContainerGroups", region("Limit", 21)));

    assertThat(SdkClient.codeOf(e)).isEqualTo("InvalidParameter");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void deleteTerminatesThenTheGroupIsGoneAndDeletingAgainIsNotFound(SdkClient.Signature signature) throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (EciEmulator manual = EciEmulator.builder().credentials("ak", "sk").clock(clock).groupTransitionDelay(Duration.ofSeconds(1)).build().start()) {
      SdkClient eci = new SdkClient(manual, "ak", "sk", signature);
      String id = (String) eci.call("CreateContainerGroup", create("doomed", Map.of(), container("app", "busybox"))).get("ContainerGroupId");
      assertThat(manual.containerGroup(id).orElseThrow().status()).isEqualTo("Scheduling");
      clock.advance(Duration.ofSeconds(1));
      assertThat(manual.containerGroup(id).orElseThrow().status()).isEqualTo("Pending");
      clock.advance(Duration.ofSeconds(1));
      assertThat(manual.containerGroup(id).orElseThrow().status()).isEqualTo("Running");

      eci.call("DeleteContainerGroup", region("ContainerGroupId", id));
      assertThat(manual.containerGroup(id).orElseThrow().status()).isEqualTo("Terminating");
      eci.call("DeleteContainerGroup", region("ContainerGroupId", id));
      clock.advance(Duration.ofSeconds(1));

      assertThat(manual.containerGroup(id)).isEmpty();
      assertThat(groups(eci.call("DescribeContainerGroups", region("ContainerGroupIds", "[\"" + id + "\"]")))).isEmpty();
      Exception e = catchException(() -> eci.call("DeleteContainerGroup", region("ContainerGroupId", id)));
      assertThat(SdkClient.codeOf(e)).isEqualTo("InvalidParameter.NotFound");
      assertThat(SdkClient.statusOf(e)).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void statusPollingReturnsOnlyGroupsThatChangedRecently(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String id = (String) eci.call("CreateContainerGroup", create("polled", Map.of("node", "vk-1"), container("app", "busybox"))).get("ContainerGroupId");
    await().atMost(Duration.ofSeconds(60)).until(() -> emulator.containerGroup(id).orElseThrow().status().equals("Running"));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> data = (List<Map<String, Object>>) eci.call("DescribeContainerGroupStatus",
        region("SinceSecond", 600, "Tag", List.of(Map.of("Key", "node", "Value", "vk-1")))).get("Data");

    assertThat(data).hasSize(1);
    assertThat(data.get(0)).containsEntry("ContainerGroupId", id).containsEntry("Status", "Running");
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) data.get(0).get("PodStatus");
    assertThat(status).containsEntry("Phase", "Running").containsKey("PodIp");
    // the documented shape, not DescribeContainerGroups': no tags, region or zone; lower-case condition keys
    assertThat(data.get(0)).containsKeys("Name", "Namespace", "uuid").doesNotContainKeys("Tags", "RegionId", "ZoneId");
    assertThat((List<Map<String, Object>>) status.get("Conditions"))
        .allSatisfy(c -> assertThat(c).containsKeys("type", "status", "lastTransitionTime"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> other = (List<Map<String, Object>>) eci.call("DescribeContainerGroupStatus",
        region("SinceSecond", 600, "Tag", List.of(Map.of("Key", "node", "Value", "vk-9")))).get("Data");
    assertThat(other).isEmpty();
  }

  static List<String> ids(List<Map<String, Object>> groups) {
    List<String> ids = new ArrayList<>();
    groups.forEach(g -> ids.add((String) g.get("ContainerGroupId")));
    return ids;
  }
}
