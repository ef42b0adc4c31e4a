package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchException;

import io.vk4j.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripted container exits, restart policies, restarts, updates and retention, on a clock moved by hand. */
class ContainerExitTest {

  private final MutableClock clock = new MutableClock(Instant.now()); // now: SDK timestamps must stay within the skew
  private EciEmulator emulator;
  private SdkClient eci;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").clock(clock).groupTransitionDelay(Duration.ofSeconds(1))
        .terminalRetention(Duration.ofMinutes(10)).retainedTerminalGroups(0).build().start();
    eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String createExiting(String name, String restartPolicy, String exitAfter, String exitCode) throws Exception {
    Map<String, Object> job = container("job", "busybox");
    job.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_EXIT_AFTER", "Value", exitAfter), Map.of("Key", "EMULATOR_EXIT_CODE", "Value", exitCode)));
    String id = (String) eci.call("CreateContainerGroup", with(create(name, Map.of(), job), "RestartPolicy", restartPolicy)).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));
    assertThat(status(id)).isEqualTo("Running");
    return id;
  }

  private String status(String id) {
    return emulator.containerGroup(id).orElseThrow().status();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> describe(String id) throws Exception {
    return ((List<Map<String, Object>>) eci.call("DescribeContainerGroups", region("ContainerGroupIds", "[\"" + id + "\"]")).get("ContainerGroups")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstContainer(Map<String, Object> group) {
    return ((List<Map<String, Object>>) group.get("Containers")).get(0);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aContainerThatExitsZeroWithRestartNeverSucceeds() throws Exception {
    String id = createExiting("job-ok", "Never", "5", "0");

    clock.advance(Duration.ofSeconds(5));

    Map<String, Object> group = describe(id);
    assertThat(group).containsEntry("Status", "Succeeded").containsKey("SucceededTime");
    Map<String, Object> state = (Map<String, Object>) firstContainer(group).get("CurrentState");
    assertThat(state).containsEntry("State", "Terminated").containsEntry("Reason", "Completed");
    assertThat(((Number) state.get("ExitCode")).intValue()).isZero();
  }

  @Test
  void aContainerThatExitsNonZeroWithRestartNeverFails() throws Exception {
    String id = createExiting("job-bad", "Never", "1.5", "3");

    clock.advance(Duration.ofSeconds(2));

    assertThat(status(id)).isEqualTo("Failed");
    assertThat(emulator.containerGroup(id).orElseThrow().containers().get(0).exitCode()).contains(3);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aContainerWithRestartAlwaysRestartsAndKeepsItsPreviousState() throws Exception {
    String id = createExiting("crashloop", "Always", "2", "1");

    clock.advance(Duration.ofSeconds(5));

    Map<String, Object> group = describe(id);
    assertThat(group).containsEntry("Status", "Running");
    Map<String, Object> c = firstContainer(group);
    assertThat(((Number) c.get("RestartCount")).intValue()).isEqualTo(2);
    assertThat((Map<String, Object>) c.get("PreviousState")).containsEntry("State", "Terminated").containsEntry("Reason", "Error");
    assertThat((Map<String, Object>) c.get("CurrentState")).containsEntry("State", "Running");
  }

  @Test
  void onFailureRestartsOnlyFailures() throws Exception {
    String ok = createExiting("onfailure-ok", "OnFailure", "1", "0");
    String bad = createExiting("onfailure-bad", "OnFailure", "1", "2");

    clock.advance(Duration.ofSeconds(3));

    assertThat(status(ok)).isEqualTo("Succeeded");
    assertThat(status(bad)).isEqualTo("Running");
    assertThat(emulator.containerGroup(bad).orElseThrow().containers().get(0).restartCount()).isPositive();
  }

  @Test
  void finishedGroupsAreForgottenAfterTheRetention() throws Exception {
    String id = createExiting("forgotten", "Never", "1", "0");
    clock.advance(Duration.ofSeconds(1));
    assertThat(status(id)).isEqualTo("Succeeded");

    clock.advance(Duration.ofMinutes(9));
    assertThat(emulator.containerGroup(id)).isPresent();
    clock.advance(Duration.ofMinutes(2));

    assertThat(emulator.containerGroup(id)).isEmpty();
  }

  @Test
  void anInitContainerThatFailsFailsTheGroup() throws Exception {
    Map<String, Object> init = container("migrate", "busybox");
    init.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_EXIT_CODE", "Value", "1")));
    String id = (String) eci.call("CreateContainerGroup", with(create("init-fails", Map.of(), container("app", "nginx")), "InitContainer", List.of(init))).get("ContainerGroupId");

    clock.advance(Duration.ofSeconds(2));

    ContainerGroupSnapshot group = emulator.containerGroup(id).orElseThrow();
    assertThat(group.status()).isEqualTo("Failed");
    assertThat(group.initContainers()).singleElement().satisfies(c -> assertThat(c.exitCode()).contains(1));
    assertThat(group.containers()).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo("Waiting"));
  }

  @Test
  void restartGoesThroughRestartingAndCountsRestarts() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", create("restarted", Map.of(), container("app", "nginx"))).get("ContainerGroupId");
    Exception tooEarly = catchException(() -> eci.call("RestartContainerGroup", region("ContainerGroupId", id)));
    assertThat(SdkClient.codeOf(tooEarly)).isEqualTo("IncorrectStatus");
    clock.advance(Duration.ofSeconds(2));

    eci.call("RestartContainerGroup", region("ContainerGroupId", id));
    assertThat(status(id)).isEqualTo("Restarting");
    clock.advance(Duration.ofSeconds(1));

    assertThat(status(id)).isEqualTo("Running");
    assertThat(emulator.containerGroup(id).orElseThrow().containers().get(0).restartCount()).isEqualTo(1);
  }

  @Test
  void updateReplacesWhatItNamesAndKeepsTheRest() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", create("updated", Map.of("team", "a"), container("app", "nginx:1.24"))).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));

    eci.call("UpdateContainerGroup", region("ContainerGroupId", id, "Container", List.of(container("app", "nginx:1.25")),
        "Tag", List.of(Map.of("Key", "team", "Value", "b"))));
    assertThat(status(id)).isEqualTo("Updating");
    clock.advance(Duration.ofSeconds(1));

    ContainerGroupSnapshot group = emulator.containerGroup(id).orElseThrow();
    assertThat(group.status()).isEqualTo("Running");
    assertThat(group.containers()).singleElement().satisfies(c -> assertThat(c.image()).isEqualTo("nginx:1.25"));
    assertThat(group.tags()).containsExactly(Map.entry("team", "b"));
    assertThat(group.parameters()).containsEntry("SecurityGroupId", "sg-test");
  }

  @Test
  void statusPollingSeesOnlyChangesInsideTheWindow() throws Exception {
    String early = (String) eci.call("CreateContainerGroup", create("early", Map.of(), container("app", "nginx"))).get("ContainerGroupId");
    clock.advance(Duration.ofMinutes(5));
    String late = (String) eci.call("CreateContainerGroup", create("late", Map.of(), container("app", "nginx"))).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(30));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> changed = (List<Map<String, Object>>) eci.call("DescribeContainerGroupStatus", region("SinceSecond", 60)).get("Data");

    assertThat(changed).extracting(d -> d.get("ContainerGroupId")).containsExactly(late).doesNotContain(early);
  }

  @Test
  void testsCanMakeARunningContainerExit() throws Exception {
    String never = (String) eci.call("CreateContainerGroup", with(create("ordered-exit", Map.of(), container("app", "nginx")), "RestartPolicy", "Never")).get("ContainerGroupId");
    String always = (String) eci.call("CreateContainerGroup", create("ordered-restart", Map.of(), container("app", "nginx"))).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));

    emulator.exitContainer(never, "app", 137);
    emulator.exitContainer(always, "app", 0);

    assertThat(status(never)).isEqualTo("Failed");
    assertThat(emulator.containerGroup(never).orElseThrow().containers().get(0).exitCode()).contains(137);
    assertThat(status(always)).isEqualTo("Running");
    assertThat(emulator.containerGroup(always).orElseThrow().containers().get(0).restartCount()).isEqualTo(1);
    assertThatThrownBy(() -> emulator.exitContainer(never, "app", 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> emulator.exitContainer("eci-none", "app", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anImageThatCannotBePulledKeepsTheGroupPendingWithTheReason() throws Exception {
    Map<String, Object> app = container("app", "registry.example/missing:1");
    app.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_IMAGE_PULL_FAILS", "Value", "true")));
    String id = (String) eci.call("CreateContainerGroup", create("no-image", Map.of(), app)).get("ContainerGroupId");

    clock.advance(Duration.ofSeconds(5));

    Map<String, Object> group = describe(id);
    assertThat(group).containsEntry("Status", "Pending");
    assertThat((Map<String, Object>) firstContainer(group).get("CurrentState")).containsEntry("State", "Waiting").containsEntry("Reason", "ErrImagePull");
    assertThat(emulator.containerGroup(id).orElseThrow().eventReasons()).contains("Failed");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aContainerCanRunWithoutBecomingReady() throws Exception {
    Map<String, Object> app = container("app", "nginx");
    app.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_READY", "Value", "false")));
    String id = (String) eci.call("CreateContainerGroup", create("not-ready", Map.of(), app)).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));

    Map<String, Object> group = describe(id);
    List<Map<String, Object>> data = (List<Map<String, Object>>) eci.call("DescribeContainerGroupStatus", region("ContainerGroupIds", "[\"" + id + "\"]")).get("Data");

    assertThat(group).containsEntry("Status", "Running");
    assertThat(firstContainer(group)).containsEntry("Ready", false);
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) ((Map<String, Object>) data.get(0).get("PodStatus")).get("Conditions");
    assertThat(conditions).anySatisfy(c -> assertThat(c).containsEntry("type", "Ready").containsEntry("status", "False"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void anExpiredGroupStopsAndSaysWhen() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", create("overdue", Map.of(), container("app", "nginx"))).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(2));

    emulator.expireContainerGroup(id);

    Map<String, Object> group = describe(id);
    assertThat(group).containsEntry("Status", "Expired").containsKey("ExpiredTime");
    assertThat((Map<String, Object>) firstContainer(group).get("CurrentState")).containsEntry("State", "Terminated");
    assertThatThrownBy(() -> emulator.expireContainerGroup(id)).isInstanceOf(IllegalStateException.class);
    clock.advance(Duration.ofMinutes(11));
    assertThat(emulator.containerGroup(id)).isEmpty();
  }
}
