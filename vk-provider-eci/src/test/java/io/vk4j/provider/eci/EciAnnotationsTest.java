package io.vk4j.provider.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.api.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each ACK annotation, valid and invalid. */
class EciAnnotationsTest {

  private static Map<String, String> apply(Map<String, String> annotations) throws InvalidInputException {
    EciParams params = new EciParams();
    EciAnnotations.apply(annotations, params);
    return params.toMap();
  }

  private static EciAnnotations.Placement placement(Map<String, String> annotations) throws InvalidInputException {
    return EciAnnotations.apply(annotations, new EciParams());
  }

  @ParameterizedTest(name = "{0}={1} -> {2}={3}")
  @CsvSource(delimiter = '|', value = {
      "kubernetes.io/ingress-bandwidth|10M|IngressBandwidth|10000000",
      "kubernetes.io/egress-bandwidth|1500k|EgressBandwidth|1500000",
      "k8s.aliyun.com/eci-auto-imc|true|AutoMatchImageCache|true",
      "k8s.aliyun.com/eci-imc-id|imc-abc123|ImageSnapshotId|imc-abc123",
      "k8s.aliyun.com/eci-extra-ephemeral-storage|50Gi|EphemeralStorage|50",
      "k8s.aliyun.com/eci-extra-ephemeral-storage|1500Mi|EphemeralStorage|2",
      "k8s.aliyun.com/eci-max-pending-minute|10|MaxPendingMinute|10",
      "k8s.aliyun.com/eci-gpu-driver-version|tesla=525.85.12|GpuDriverVersion|tesla=525.85.12",
      "k8s.aliyun.com/eci-cpu-option-core|2|CpuOptionsCore|2",
      "k8s.aliyun.com/eci-cpu-option-ht|1|CpuOptionsThreadsPerCore|1",
      "k8s.aliyun.com/eci-core-pattern|/pod/data/dump/core|CorePattern|/pod/data/dump/core",
      "k8s.aliyun.com/eci-host-sysctls|[{\"name\":\"kernel.msgmax\",\"value\":\"65536\"}]|HostSecurityContext.Sysctl.1.Name|kernel.msgmax",
      "k8s.aliyun.com/acr-instance-ids|cri-abc,cri-def|AcrRegistryInfo.2.InstanceId|cri-def",
      "k8s.aliyun.com/plain-http-registry|harbor.example.com, 192.168.1.2:5000|PlainHttpRegistry|harbor.example.com,192.168.1.2:5000",
      "k8s.aliyun.com/insecure-registry|reg.example.com:80|InsecureRegistry|reg.example.com:80",
      "k8s.aliyun.com/eci-schedule-strategy|vSwitchRandom|ScheduleStrategy|VSwitchRandom"})
  void newerAnnotationsBecomeTheirParameters(String annotation, String value, String parameter, String expected)
      throws Exception {
    assertThat(apply(Map.of(annotation, value))).containsEntry(parameter, expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "k8s.aliyun.com/eci-security-group|sg-1,sg-2,sg-3,sg-4,sg-5,sg-6",
      "k8s.aliyun.com/eci-extra-ephemeral-storage|lots",
      "k8s.aliyun.com/eci-max-pending-minute|0",
      "k8s.aliyun.com/eci-fail-strategy|fail-slow",
      "k8s.aliyun.com/eci-custom-tags|a:1,b:2,c:3,d:4",
      "k8s.aliyun.com/eci-custom-tags|aliyun-owner:1",
      "k8s.aliyun.com/eci-custom-tags|vk4j.io/pod:x",
      "k8s.aliyun.com/eci-gpu-type|H100",
      "k8s.aliyun.com/eci-gpu-driver-version|latest",
      "k8s.aliyun.com/eci-cpu-option-ht|3",
      "k8s.aliyun.com/eci-core-pattern|relative/core",
      "k8s.aliyun.com/eci-host-sysctls|[{\"name\":\"vm.swappiness\",\"value\":\"1\"}]",
      "k8s.aliyun.com/eci-host-sysctls|not json",
      "k8s.aliyun.com/acr-instance-ids|registry-1",
      "k8s.aliyun.com/plain-http-registry|http://x",
      "k8s.aliyun.com/eci-spot-duration|2",
      "kubernetes.io/ingress-bandwidth|fast"})
  void invalidNewerAnnotationsAreNamedWithTheirValue(String annotation, String value) {
    assertThatThrownBy(() -> apply(Map.of(annotation, value)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(annotation + "='" + value.trim() + "'");
  }

  @Test
  void specsBecomeSizesToTryInOrder() throws Exception {
    assertThat(placement(Map.of(EciAnnotations.USE_SPECS, "2-4Gi,ecs.c6.large, ecs.g6.large,4-8Gi")).specs())
        .extracting(EciAnnotations.InstanceSpec::shape)
        .containsExactly("2-4Gi", "ecs.c6.large,ecs.g6.large", "4-8Gi");
    assertThat(placement(Map.of(EciAnnotations.INSTANCE_TYPE, "ecs.gn6i-c4g1.xlarge")).specs())
        .extracting(EciAnnotations.InstanceSpec::shape).containsExactly("ecs.gn6i-c4g1.xlarge");
  }

  @Test
  void upToFiveSecurityGroupsAndAckSpellings() throws Exception {
    assertThat(placement(Map.of(EciAnnotations.SECURITY_GROUP, "sg-a, sg-b,sg-c,sg-d,sg-e")).securityGroups())
        .contains("sg-a,sg-b,sg-c,sg-d,sg-e");
    assertThat(apply(Map.of(EciAnnotations.SCHEDULE_STRATEGY, "vSwitchOrdered"))).containsEntry("ScheduleStrategy",
        "VSwitchOrdered");
  }

  @Test
  void failStrategyAndSpotDuration() throws Exception {
    assertThat(placement(Map.of(EciAnnotations.FAIL_STRATEGY, "fail-fast")).failFast()).isTrue();
    assertThat(placement(Map.of(EciAnnotations.FAIL_STRATEGY, "fail-back")).failFast()).isFalse();
    assertThat(placement(Map.of(EciAnnotations.FAIL_ON_CREATE_ERROR, "true")).failFast()).isTrue();
    assertThat(apply(Map.of(EciAnnotations.SPOT_STRATEGY, "SpotAsPriceGo", EciAnnotations.SPOT_DURATION, "0")))
        .containsEntry("SpotDuration", "0");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.SPOT_DURATION, "0"))).hasMessageContaining("spot instances only");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.IMAGE_CACHE, "true", EciAnnotations.AUTO_IMC, "false")))
        .hasMessageContaining("contradicts");
  }

  @ParameterizedTest(name = "{0}={1} -> {2}={3}")
  @CsvSource(delimiter = '|', value = {
      "eci-schedule-strategy|VSwitchOrdered|ScheduleStrategy|VSwitchOrdered",
      "eci-spot-strategy|SpotAsPriceGo|SpotStrategy|SpotAsPriceGo",
      "eci-image-cache|false|AutoMatchImageCache|false",
      "eci-image-snapshot-id|imc-abc123|ImageSnapshotId|imc-abc123",
      "eci-eip-instanceid|eip-2ze1abc|EipInstanceId|eip-2ze1abc",
      "eci-ram-role-name|my.role-1|RamRoleName|my.role-1",
      "eci-resource-group-id|rg-aek2abc|ResourceGroupId|rg-aek2abc",
      "eci-ntp-server|10.0.0.1|NtpServer.1|10.0.0.1"})
  void validValuesBecomeParameters(String annotation, String value, String parameter, String expected) throws Exception {
    assertThat(apply(Map.of("k8s.aliyun.com/" + annotation, value))).containsEntry(parameter, expected);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "eci-use-specs|2c4g",
      "eci-use-specs|0-4Gi",
      "eci-use-specs|1-2Gi,2-4Gi,4-8Gi,8-16Gi,16-32Gi,32-64Gi",
      "eci-instance-type|ecs.c6.large,ecs.g6.large",
      "eci-vswitch|subnet-1",
      "eci-security-group|default",
      "eci-schedule-strategy|Random",
      "eci-spot-strategy|Cheapest",
      "eci-image-cache|yes",
      "eci-image-snapshot-id|snap-1",
      "eci-with-eip|1",
      "eci-eip-instanceid|203.0.113.9",
      "eci-ram-role-name|role with spaces",
      "eci-resource-group-id|group-1",
      "eci-ntp-server|ntp server"})
  void invalidValuesNameTheAnnotationAndTheValue(String annotation, String value) {
    assertThatThrownBy(() -> apply(Map.of("k8s.aliyun.com/" + annotation, value)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("k8s.aliyun.com/" + annotation + "='" + value.trim() + "'");
  }

  @Test
  void aSpotPriceLimitNeedsTheStrategyThatUsesIt() {
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.SPOT_PRICE_LIMIT, "0.5")))
        .hasMessageContaining("eci-spot-price-limit='0.5'").hasMessageContaining("SpotWithPriceLimit");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.SPOT_STRATEGY, "SpotWithPriceLimit")))
        .hasMessageContaining("needs k8s.aliyun.com/eci-spot-price-limit");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.SPOT_STRATEGY, "SpotWithPriceLimit",
        EciAnnotations.SPOT_PRICE_LIMIT, "-1"))).hasMessageContaining("eci-spot-price-limit='-1'");
  }

  @Test
  void eipAnnotationsMustAgree() {
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.WITH_EIP, "true", EciAnnotations.EIP_INSTANCE_ID, "eip-1")))
        .hasMessageContaining("conflicts");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.EIP_BANDWIDTH, "5")))
        .hasMessageContaining("eip-bandwidth='5'").hasMessageContaining("eci-with-eip=true");
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.WITH_EIP, "true", EciAnnotations.EIP_BANDWIDTH, "9000")))
        .hasMessageContaining("eip-bandwidth='9000'");
  }

  @Test
  void useSpecsWinsOverInstanceType() throws Exception {
    assertThat(placement(Map.of(EciAnnotations.USE_SPECS, "2-4Gi", EciAnnotations.INSTANCE_TYPE, "ecs.c6.large")).specs())
        .extracting(EciAnnotations.InstanceSpec::shape).containsExactly("2-4Gi");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> apply(Map.of(EciAnnotations.SPOT_STRATEGY, "x", EciAnnotations.IMAGE_CACHE, "y",
        EciAnnotations.VSWITCH, "z")))
        .hasMessageContaining("eci-spot-strategy='x'").hasMessageContaining("eci-image-cache='y'")
        .hasMessageContaining("eci-vswitch='z'");
  }

  @Test
  void otherAnnotationsAreIgnored() throws Exception {
    assertThat(apply(Map.of("kubernetes.io/psp", "restricted", "k8s.aliyun.com/eci-unknown-thing", "1"))).isEmpty();
  }
}
