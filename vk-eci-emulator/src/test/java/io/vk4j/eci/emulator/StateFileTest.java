package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

  @TempDir
  Path dir;

  private EciEmulator emulator(Path state) {
    return EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO).stateFile(state).build().start();
  }

  @Test
  void aNewEmulatorProcessFindsTheGroupsOfTheOldOne() throws Exception {
    Path state = dir.resolve("eci-state.json");
    String running;
    String finished;
    String runningIp;
    try (EciEmulator first = emulator(state)) {
      SdkClient eci = new SdkClient(first, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
      running = (String) eci.call("CreateContainerGroup", with(create("keeps-running", Map.of("node", "vk-1"), container("app", "nginx")), "ClientToken", "uid-1")).get("ContainerGroupId");
      Map<String, Object> job = container("job", "busybox");
      job.put("EnvironmentVar", List.of(Map.of("Key", "EMULATOR_EXIT_AFTER", "Value", "0"), Map.of("Key", "EMULATOR_EXIT_CODE", "Value", "4")));
      finished = (String) eci.call("CreateContainerGroup", with(create("finished", Map.of(), job), "RestartPolicy", "Never")).get("ContainerGroupId");
      runningIp = first.containerGroup(running).orElseThrow().intranetIp().orElseThrow();
      assertThat(first.containerGroup(finished).orElseThrow().status()).isEqualTo("Failed");
    }
    assertThat(Files.readString(state)).contains(running, finished);

    try (EciEmulator second = emulator(state)) {
      SdkClient eci = new SdkClient(second, "ak", "sk", SdkClient.Signature.V3_ACS3_HMAC_SHA256_FORM_BODY);
      ContainerGroupSnapshot kept = second.containerGroup(running).orElseThrow();
      String retried = (String) eci.call("CreateContainerGroup", with(create("keeps-running", Map.of("node", "vk-1"), container("app", "nginx")), "ClientToken", "uid-1")).get("ContainerGroupId");
      String fresh = (String) eci.call("CreateContainerGroup", create("fresh", Map.of(), container("app", "nginx"))).get("ContainerGroupId");

      assertThat(kept.status()).isEqualTo("Running");
      assertThat(kept.intranetIp()).contains(runningIp);
      assertThat(kept.tags()).containsEntry("node", "vk-1");
      assertThat(second.containerGroup(finished).orElseThrow().containers().get(0).exitCode()).contains(4);
      assertThat(retried).isEqualTo(running);
      assertThat(second.containerGroup(fresh).orElseThrow().intranetIp()).isPresent().isNotEqualTo(kept.intranetIp());
      assertThat(second.containerGroups()).extracting(ContainerGroupSnapshot::id).containsExactly(running, finished, fresh);
    }
  }

  @Test
  void anUnreadableStateFileIsExplained() throws Exception {
    Path state = dir.resolve("broken.json");
    Files.writeString(state, "{not json");

    assertThatThrownBy(() -> EciEmulator.builder().stateFile(state).build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read the emulator state file");
  }
}
