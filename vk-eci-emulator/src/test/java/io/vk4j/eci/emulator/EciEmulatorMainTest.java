package io.vk4j.eci.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EciEmulatorMainTest {

  @Test
  void flagsConfigureTheEmulator() throws Exception {
    EciEmulator emulator = EciEmulatorMain.parse(new String[] {
        "--port", "0", "--region", "cn-beijing", "--access-key", "k", "--secret", "s",
        "--transition-delay-ms", "0", "--vswitch", "vsw-x=cn-beijing-k/10.7.0.0/16"});
    try (EciEmulator started = emulator.start()) {
      SdkClient eci = new SdkClient(started, "k", "s", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
      Map<String, Object> request = Requests.with(Requests.create("flags", Map.of(), Requests.container("app", "nginx")), "VSwitchId", "vsw-x");
      request.put("RegionId", "cn-beijing");
      String id = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");

      ContainerGroupSnapshot group = started.containerGroup(id).orElseThrow();
      assertThat(started.regionId()).isEqualTo("cn-beijing");
      assertThat(group.zoneId()).isEqualTo("cn-beijing-k");
      assertThat(group.intranetIp()).hasValueSatisfying(ip -> assertThat(ip).startsWith("10.7."));
      assertThat(group.status()).isEqualTo("Running");
    }
  }

  @Test
  void badFlagsAreExplained() {
    assertThatThrownBy(() -> EciEmulatorMain.parse(new String[] {"--port", "eighty"})).hasMessageContaining("--port takes an integer");
    assertThatThrownBy(() -> EciEmulatorMain.parse(new String[] {"--colour", "blue"})).hasMessageContaining("unknown flag: --colour");
    assertThatThrownBy(() -> EciEmulatorMain.parse(new String[] {"--access-key", "k"})).hasMessageContaining("go together");
    assertThatThrownBy(() -> EciEmulatorMain.parse(new String[] {"--vswitch", "nonsense"})).hasMessageContaining("ID=ZONE/CIDR");
    assertThatThrownBy(() -> EciEmulatorMain.parse(new String[] {"--vswitch", "vsw-a=z/10.0.0.0/40"})).hasMessageContaining("prefix");
    assertThat(EciEmulatorMain.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void theDefaultCredentialsWorkWhenNoneAreGiven() throws Exception {
    try (EciEmulator emulator = EciEmulator.builder().port(0).groupTransitionDelay(Duration.ZERO).build().start()) {
      SdkClient eci = new SdkClient(emulator, EciEmulator.DEFAULT_ACCESS_KEY_ID, EciEmulator.DEFAULT_ACCESS_KEY_SECRET, SdkClient.Signature.V3_ACS3_HMAC_SHA256_QUERY);
      assertThat(eci.call("DescribeRegions", Map.of())).containsKey("Regions");
    }
  }
}
