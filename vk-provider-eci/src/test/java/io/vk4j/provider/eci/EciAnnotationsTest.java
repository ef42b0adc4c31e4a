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

  @ParameterizedTest(name = "{0}={1} -> {2}={3}")
  @CsvSource(delimiter = '|', value = {
      "eci-use-specs|4-8Gi|InstanceType|4-8Gi",
      "eci-use-specs|ecs.c6.large, ecs.g6.large|InstanceType|ecs.c6.large,ecs.g6.large",
      "eci-instance-type|ecs.gn6i-c4g1.xlarge|InstanceType|ecs.gn6i-c4g1.xlarge",
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
    assertThat(apply(Map.of(EciAnnotations.USE_SPECS, "2-4Gi", EciAnnotations.INSTANCE_TYPE, "ecs.c6.large")))
        .containsEntry("InstanceType", "2-4Gi");
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
