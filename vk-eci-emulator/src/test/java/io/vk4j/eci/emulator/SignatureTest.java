package io.vk4j.eci.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.aliyun.tea.TeaException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignatureTest {

  private EciEmulator emulator;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static Map<String, Object> regionOnly() {
    return Map.of("RegionId", "cn-hangzhou");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aCorrectlySignedRequestIsServed(SdkClient.Signature signature) throws Exception {
    Map<String, Object> body = new SdkClient(emulator, "ak", "sk", signature).call("DescribeContainerGroups", regionOnly());

    assertThat(body).containsKeys("RequestId", "ContainerGroups", "NextToken", "TotalCount");
    assertThat(emulator.callCount("DescribeContainerGroups")).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aWrongSecretGivesSignatureDoesNotMatch(SdkClient.Signature signature) {
    Exception e = catchException(() -> new SdkClient(emulator, "ak", "not-the-secret", signature).call("DescribeContainerGroups", regionOnly()));

    assertThat(SdkClient.codeOf(e)).isEqualTo("SignatureDoesNotMatch");
    assertThat(SdkClient.statusOf(e)).isEqualTo(400);
    assertThat(((TeaException) e).getData()).containsKeys("RequestId", "HostId", "Code", "Message", "Recommend");
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void anUnknownAccessKeyGivesNotFound(SdkClient.Signature signature) {
    Exception e = catchException(() -> new SdkClient(emulator, "who", "sk", signature).call("DescribeContainerGroups", regionOnly()));

    assertThat(SdkClient.codeOf(e)).isEqualTo("InvalidAccessKeyId.NotFound");
    assertThat(SdkClient.statusOf(e)).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aReplayedNonceGivesSignatureNonceUsed(SdkClient.Signature signature) throws Exception {
    SdkClient client = new SdkClient(emulator, "ak", "sk", signature);
    String nonce = "fixed-nonce-" + signature;
    Map<String, Object> params = new java.util.HashMap<>(regionOnly());
    Map<String, String> headers = Map.of();
    if (signature.v1) {
      params.put("SignatureNonce", nonce);
    } else {
      headers = Map.of("x-acs-signature-nonce", nonce);
    }
    client.call("DescribeContainerGroups", params, headers);

    Map<String, String> replayHeaders = headers;
    Exception e = catchException(() -> client.call("DescribeContainerGroups", params, replayHeaders));

    assertThat(SdkClient.codeOf(e)).isEqualTo("SignatureNonceUsed");
    assertThat(SdkClient.statusOf(e)).isEqualTo(400);
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aTimestampMoreThanFifteenMinutesAwayIsExpired(SdkClient.Signature signature) {
    try (EciEmulator ahead = EciEmulator.builder().credentials("ak", "sk")
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16))).build().start()) {
      Exception e = catchException(() -> new SdkClient(ahead, "ak", "sk", signature).call("DescribeContainerGroups", regionOnly()));

      assertThat(SdkClient.codeOf(e)).isEqualTo("InvalidTimeStamp.Expired");
      assertThat(SdkClient.statusOf(e)).isEqualTo(400);
    }
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void aTimestampWithinFifteenMinutesIsAccepted(SdkClient.Signature signature) throws Exception {
    try (EciEmulator ahead = EciEmulator.builder().credentials("ak", "sk")
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(14))).build().start()) {
      assertThat(new SdkClient(ahead, "ak", "sk", signature).call("DescribeContainerGroups", regionOnly())).containsKey("RequestId");
    }
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void temporaryKeysNeedTheirSecurityToken(SdkClient.Signature signature) throws Exception {
    try (EciEmulator sts = EciEmulator.builder().stsCredentials("STS.key", "sts-secret", "token-1").build().start()) {
      assertThat(new SdkClient(sts, "STS.key", "sts-secret", "token-1", signature, 10_000).call("DescribeContainerGroups", regionOnly())).containsKey("RequestId");

      Exception none = catchException(() -> new SdkClient(sts, "STS.key", "sts-secret", signature).call("DescribeContainerGroups", regionOnly()));
      Exception wrong = catchException(() -> new SdkClient(sts, "STS.key", "sts-secret", "token-2", signature, 10_000).call("DescribeContainerGroups", regionOnly()));

      assertThat(SdkClient.codeOf(none)).isEqualTo("MissingSecurityToken");
      assertThat(SdkClient.codeOf(wrong)).isEqualTo("InvalidSecurityToken.MismatchWithAccessKey");
    }
  }

  @ParameterizedTest
  @EnumSource(SdkClient.Signature.class)
  void valuesWithCharactersThatNeedEncodingAreSignedAlike(SdkClient.Signature signature) throws Exception {
    SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
    String tricky = "a b*c~d+e/f=g&h%i é中文!'()\"{}[]";

    Map<String, Object> body = eci.call("DescribeContainerGroups", Map.of("RegionId", "cn-hangzhou", "ContainerGroupName", tricky,
        "Tag", java.util.List.of(Map.of("Key", tricky, "Value", ""))));

    assertThat(((Number) body.get("TotalCount")).intValue()).isZero();
  }
}
