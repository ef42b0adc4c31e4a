package io.vk4j.eci.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Raw HTTP: whatever arrives, the answer is a 4xx JSON error with a reason and the emulator keeps serving. */
class MalformedRequestTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private EciEmulator emulator;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO).build().start();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HttpResponse<String> post(String rawBody) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(rawBody)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A correctly V1-signed form body around the given action parameters. */
  private static String signed(Map<String, String> actionParams) {
    Map<String, String> params = new LinkedHashMap<>(actionParams);
    params.put("Format", "JSON");
    params.put("Version", "2018-08-08");
    params.put("AccessKeyId", "ak");
    params.put("SignatureMethod", "HMAC-SHA1");
    params.put("SignatureVersion", "1.0");
    params.put("SignatureNonce", UUID.randomUUID().toString());
    params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    params.putIfAbsent("RegionId", "cn-hangzhou");
    params.put("Signature", SignatureVerifier.v1Signature("POST", params, "sk"));
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  @Test
  void aSignedRequestBuiltByHandIsServed() throws Exception {
    HttpResponse<String> response = post(signed(Map.of("Action", "DescribeRegions")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"RegionId\":\"cn-hangzhou\"");
  }

  @Test
  void brokenPercentEncodingIsAnInvalidParameter() throws Exception {
    HttpResponse<String> response = post("Action=DescribeRegions&Bad=%zz");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"Code\":\"InvalidParameter\"").contains("percent-encoding");
  }

  @Test
  void aMissingActionIsNamed() throws Exception {
    HttpResponse<String> response = post("Version=2018-08-08");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"Code\":\"MissingParameter\"").contains("Action");
  }

  @Test
  void anUnknownActionIsNotFound() throws Exception {
    HttpResponse<String> response = post(signed(Map.of("Action", "LaunchRockets")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("InvalidAction.NotFound");
    assertThat(emulator.callCount(CallCounter.UNKNOWN)).isEqualTo(1);
  }

  @Test
  void anotherRegionIsRefused() throws Exception {
    HttpResponse<String> response = post(signed(Map.of("Action", "DescribeContainerGroups", "RegionId", "us-west-1")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("InvalidRegionId");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Container.1=x|Container.1.Name=y|is both a value and a parent",
      "Container.0.Name=x|Container.0.Image=y|index must be between 1 and 1000",
      "Container.1.Name=Bad_Name|Container.1.Image=y|DNS-1123",
      "Container.1.Name=a|Container.2.Image=y|Container.1.Image",
      "Container.1.Name=a|Container.1.Image=y|ContainerGroupName",
  })
  void badCreateParametersAreNamed(String first, String second, String expected) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", "CreateContainerGroup");
    if (!expected.equals("ContainerGroupName")) {
      params.put("ContainerGroupName", "bad");
    }
    params.put(first.split("=")[0], first.split("=")[1]);
    params.put(second.split("=")[0], second.split("=")[1]);

    HttpResponse<String> response = post(signed(params));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).containsAnyOf("InvalidParameter", "MissingParameter").contains(expected);
    assertThat(emulator.containerGroups()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Volume.1.Name=v|Volume.1.Type=ConfigFileVolume|Volume.1.ConfigFileVolume.ConfigFileToPath.1.Path=a|Volume.1.ConfigFileVolume.ConfigFileToPath.1.Content=not base64!|Base64",
      "Volume.1.Name=v|Volume.1.Type=GlusterVolume|Volume.1.Name=v|Volume.1.Name=v|must be one of",
      "Container.1.VolumeMount.1.Name=ghost|Container.1.VolumeMount.1.MountPath=/x|Tag.1.Key=k|Tag.1.Value=v|unknown volume ghost",
      "RestartPolicy=Sometimes|Tag.1.Key=k|Tag.1.Key=k|Tag.1.Key=k|RestartPolicy",
      "VSwitchId=vsw-a,vsw-a|Tag.1.Key=k|Tag.1.Key=k|Tag.1.Key=k|listed twice",
      "Cpu=lots|Tag.1.Key=k|Tag.1.Key=k|Tag.1.Key=k|not a non-negative number",
  })
  void badVolumesAndScalarsAreNamed(String a, String b, String c, String d, String expected) throws Exception {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Action", "CreateContainerGroup");
    params.put("ContainerGroupName", "bad");
    params.put("Container.1.Name", "app");
    params.put("Container.1.Image", "busybox");
    for (String pair : new String[] {a, b, c, d}) {
      int eq = pair.indexOf('=');
      params.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    HttpResponse<String> response = post(signed(params));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains(expected);
  }

  @Test
  void badIdListsAndTokensAreNamed() throws Exception {
    HttpResponse<String> notJson = post(signed(Map.of("Action", "DescribeContainerGroups", "ContainerGroupIds", "eci-1,eci-2")));
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 21; i++) {
      many.append(i == 0 ? "" : ",").append("\"eci-").append(i).append('"');
    }
    HttpResponse<String> tooMany = post(signed(Map.of("Action", "DescribeContainerGroups", "ContainerGroupIds", many + "]")));
    HttpResponse<String> badToken = post(signed(Map.of("Action", "DescribeContainerGroups", "NextToken", "garbage")));

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("ContainerGroupIds").contains("JSON array");
    assertThat(tooMany.body()).contains("at most 20 ids");
    assertThat(badToken.body()).contains("NextToken");
  }

  @Test
  void anUnsignedOrGarbledSignatureIsRefusedAndTheEmulatorKeepsServing() throws Exception {
    HttpResponse<String> unsigned = post("Action=DescribeRegions&Version=2018-08-08");
    HttpResponse<String> garbled = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/"))
        .header("Authorization", "ACS3-HMAC-SHA256 nonsense").header("x-acs-action", "DescribeRegions").header("x-acs-version", "2018-08-08")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("MissingSignature");
    assertThat(garbled.statusCode()).isEqualTo(400);
    assertThat(garbled.body()).contains("IncompleteSignature");
    assertThat(post(signed(Map.of("Action", "DescribeRegions"))).statusCode()).isEqualTo(200);
  }
}
