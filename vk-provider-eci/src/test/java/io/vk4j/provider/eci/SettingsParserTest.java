package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {

  private static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("ECI_REGION", "cn-hangzhou");
    env.put("ECI_ACCESS_KEY", "LTAI5t");
    env.put("ECI_SECRET_KEY", "secret");
    env.put("ECI_SECURITY_GROUP", "sg-bp1abc");
    env.put("ECI_VSWITCH", "vsw-a, vsw-b");
    env.put("ECI_CLUSTER_ID", "c8f3e2");
    return env;
  }

  @Test
  void readsTheSeedsSettingsWithDefaults() throws Exception {
    EciSettings settings = SettingsParser.parse("virtual-node-eci-3", valid(), Optional.empty());
    assertThat(settings.region()).isEqualTo("cn-hangzhou");
    assertThat(settings.nodeName()).isEqualTo("virtual-node-eci-3");
    assertThat(settings.vSwitchIds()).containsExactly("vsw-a", "vsw-b");
    assertThat(settings.endpoint()).isEqualTo("eci.cn-hangzhou.aliyuncs.com");
    assertThat(settings.protocol()).isEqualTo("https");
    assertThat(settings.kubeProxy()).isTrue();
    assertThat(settings.quotaPods()).isEqualTo(3000);
    assertThat(settings.credentials().accessKeyId()).contains("LTAI5t");
    assertThat(settings.credentials().toString()).doesNotContain("secret");
  }

  @Test
  void kubeProxyRunsInNftablesModeUnlessTheAccountMayAddNetRaw() throws Exception {
    EciSettings defaults = SettingsParser.parse("vk", valid(), Optional.empty());
    assertThat(defaults.kubeProxyMode()).isEqualTo("nftables");
    assertThat(defaults.netRawAllowed()).isFalse();

    Map<String, String> iptables = valid();
    iptables.put("ECI_KUBE_PROXY_MODE", "iptables");
    assertThatThrownBy(() -> SettingsParser.parse("vk", iptables, Optional.empty()))
        .hasMessageContaining("ECI_KUBE_PROXY_MODE=iptables needs NET_RAW").hasMessageContaining("ECI_NET_RAW_ALLOWED");
    iptables.put("ECI_NET_RAW_ALLOWED", "true");
    assertThat(SettingsParser.parse("vk", iptables, Optional.empty()).kubeProxyMode()).isEqualTo("iptables");
    iptables.put("ECI_KUBE_PROXY_MODE", "ipvs");
    assertThatThrownBy(() -> SettingsParser.parse("vk", iptables, Optional.empty()))
        .hasMessageContaining("must be nftables or iptables");
  }

  @Test
  void overridesEndpointProtocolQuotasAndPolling() throws Exception {
    Map<String, String> env = valid();
    env.put("ECI_ENDPOINT", "127.0.0.1:8080");
    env.put("ECI_PROTOCOL", "http");
    env.put("ECI_KUBE_PROXY", "false");
    env.put("ECI_QUOTA_PODS", "500");
    env.put("ECI_QUOTA_CPU", "2000");
    env.put("ECI_QUOTA_MEMORY", "4Ti");
    env.put("ECI_STATUS_POLL_SECONDS", "2");
    env.put("ECI_CLUSTER_DNS", "172.21.0.10");
    EciSettings settings = SettingsParser.parse("vk", env, Optional.empty());
    assertThat(settings.endpoint()).isEqualTo("127.0.0.1:8080");
    assertThat(settings.protocol()).isEqualTo("http");
    assertThat(settings.kubeProxy()).isFalse();
    assertThat(settings.quotaPods()).isEqualTo(500);
    assertThat(settings.quotaMemory()).isEqualTo("4Ti");
    assertThat(settings.statusPollPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.clusterDns()).containsExactly("172.21.0.10");
  }

  @Test
  void stsTokenAndRamRole() throws Exception {
    Map<String, String> sts = valid();
    sts.put("ECI_SECURITY_TOKEN", "CAIS...");
    assertThat(SettingsParser.parse("vk", sts, Optional.empty()).credentials().securityToken()).contains("CAIS...");

    Map<String, String> role = valid();
    role.remove("ECI_ACCESS_KEY");
    role.remove("ECI_SECRET_KEY");
    role.put("ECI_RAM_ROLE", "vk-eci-role");
    assertThat(SettingsParser.parse("vk", role, Optional.empty()).credentials().ramRoleName()).contains("vk-eci-role");
  }

  @Test
  void everyProblemIsListedInOneMessage() {
    Map<String, String> env = new HashMap<>();
    env.put("ECI_REGION", "Hangzhou");
    env.put("ECI_VSWITCH", "vsw-a,subnet-1");
    env.put("ECI_KUBE_PROXY", "yes");
    env.put("ECI_QUOTA_PODS", "-3");
    env.put("ECI_PROTOCOL", "ftp");
    env.put("ECI_SECRET_KEY", "only-half");

    assertThatThrownBy(() -> SettingsParser.parse("vk", env, Optional.empty()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ECI_REGION='Hangzhou'")
        .hasMessageContaining("'subnet-1'")
        .hasMessageContaining("ECI_SECURITY_GROUP is missing")
        .hasMessageContaining("ECI_CLUSTER_ID is missing")
        .hasMessageContaining("ECI_ACCESS_KEY and ECI_SECRET_KEY must be set together")
        .hasMessageContaining("ECI_KUBE_PROXY='yes'")
        .hasMessageContaining("ECI_QUOTA_PODS='-3'")
        .hasMessageContaining("ECI_PROTOCOL='ftp'");
  }

  @Test
  void noCredentialsAtAllSaysWhatToSet() {
    Map<String, String> env = valid();
    env.remove("ECI_ACCESS_KEY");
    env.remove("ECI_SECRET_KEY");
    assertThatThrownBy(() -> SettingsParser.parse("vk", env, Optional.empty()))
        .hasMessageContaining("no credentials").hasMessageContaining("ECI_RAM_ROLE");
  }

  @Test
  void theEnvironmentWinsOverTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("eci.properties");
    Files.writeString(file, "ECI_REGION=cn-beijing\nECI_SECURITY_GROUP=sg-fromfile\nECI_QUOTA_PODS=100\n");
    Map<String, String> env = valid();
    env.remove("ECI_SECURITY_GROUP");
    EciSettings settings = SettingsParser.parse("vk", env, Optional.of(file));
    assertThat(settings.region()).isEqualTo("cn-hangzhou");
    assertThat(settings.securityGroupId()).isEqualTo("sg-fromfile");
    assertThat(settings.quotaPods()).isEqualTo(100);
  }
}
