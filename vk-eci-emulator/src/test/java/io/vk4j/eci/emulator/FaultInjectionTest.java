package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;
import static org.awaitility.Awaitility.await;

import com.aliyun.tea.TeaException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults through the real SDK, with the provider's transport: V1 signature, parameters in the form body. */
class FaultInjectionTest {

  private static final SdkClient.Signature PROVIDER_STYLE = SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY;

  private EciEmulator emulator;
  private SdkClient eci;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO)
        .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/24")
        .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/24")
        .build().start();
    eci = new SdkClient(emulator, "ak", "sk", PROVIDER_STYLE);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private Map<String, Object> createIn(String name, String vSwitches) {
    return with(create(name, Map.of(), container("app", "busybox")), "VSwitchId", vSwitches);
  }

  @Test
  void throttlingAppliesToTheNextCallsOfTheAction() throws Exception {
    emulator.faults().throttleNext("CreateContainerGroup", 2);

    Exception first = catchException(() -> eci.call("CreateContainerGroup", createIn("t1", "vsw-a")));
    Exception second = catchException(() -> eci.call("CreateContainerGroup", createIn("t1", "vsw-a")));
    eci.call("DescribeContainerGroups", region());
    eci.call("CreateContainerGroup", createIn("t1", "vsw-a"));

    assertThat(SdkClient.codeOf(first)).isEqualTo("Throttling.User");
    assertThat(SdkClient.statusOf(first)).isEqualTo(400);
    assertThat(SdkClient.codeOf(second)).isEqualTo("Throttling.User");
    assertThat(emulator.containerGroups()).hasSize(1);
    assertThat(emulator.callCount("CreateContainerGroup")).isEqualTo(3);
  }

  @Test
  void aRateLimitThrottlesCallsBeyondIt() throws Exception {
    emulator.faults().rateLimit("DescribeContainerGroups", 0.01);

    eci.call("DescribeContainerGroups", region());
    Exception beyond = catchException(() -> eci.call("DescribeContainerGroups", region()));
    eci.call("DescribeContainerGroupStatus", region());

    assertThat(SdkClient.codeOf(beyond)).isEqualTo("Throttling.User");
  }

  @Test
  void serverErrorsCarryTheirStatus() throws Exception {
    emulator.faults().internalErrorNext(1).serviceUnavailableNext(1);

    Exception internal = catchException(() -> eci.call("DescribeContainerGroups", region()));
    Exception unavailable = catchException(() -> eci.call("DescribeContainerGroups", region()));
    eci.call("DescribeContainerGroups", region());

    assertThat(SdkClient.codeOf(internal)).isEqualTo("InternalError");
    assertThat(SdkClient.statusOf(internal)).isEqualTo(500);
    assertThat(SdkClient.codeOf(unavailable)).isEqualTo("ServiceUnavailable");
    assertThat(SdkClient.statusOf(unavailable)).isEqualTo(503);
    assertThat(emulator.faults().pendingFaults()).isZero();
  }

  @Test
  void anyErrorCanBeInjectedForOneAction() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", createIn("conflict", "vsw-a")).get("ContainerGroupId");
    emulator.faults().errorNext("DeleteContainerGroup", 1, 400, "OperationConflict", "Request was denied due to conflict with a previous request.");

    Exception e = catchException(() -> eci.call("DeleteContainerGroup", region("ContainerGroupId", id)));
    eci.call("DeleteContainerGroup", region("ContainerGroupId", id));

    assertThat(SdkClient.codeOf(e)).isEqualTo("OperationConflict");
    assertThat(emulator.containerGroup(id)).isEmpty();
  }

  @Test
  void aCreateThatTimesOutIsStillPerformedAndItsRetryFindsTheSameGroup() throws Exception {
    SdkClient impatient = new SdkClient(emulator, "ak", "sk", PROVIDER_STYLE, 500);
    emulator.faults().delayResponseNext("CreateContainerGroup", 1, Duration.ofSeconds(3));
    Map<String, Object> request = with(createIn("slow", "vsw-a"), "ClientToken", "uid-slow");

    Exception timeout = catchException(() -> impatient.call("CreateContainerGroup", request));

    assertThat(timeout).isNotNull().isNotInstanceOf(TeaException.class);
    await().atMost(Duration.ofSeconds(60)).until(() -> emulator.containerGroups().size() == 1);
    String retried = (String) eci.call("CreateContainerGroup", request).get("ContainerGroupId");
    assertThat(emulator.containerGroups()).singleElement().satisfies(g -> assertThat(g.id()).isEqualTo(retried));
  }

  @Test
  void aZoneWithoutStockIsSkippedWhenAnotherVSwitchHasStock() throws Exception {
    emulator.faults().noStock("cn-hangzhou-a");

    String id = (String) eci.call("CreateContainerGroup", createIn("failover", "vsw-a,vsw-b")).get("ContainerGroupId");
    Exception onlyA = catchException(() -> eci.call("CreateContainerGroup", createIn("stuck", "vsw-a")));

    assertThat(emulator.containerGroup(id).orElseThrow().zoneId()).isEqualTo("cn-hangzhou-b");
    assertThat(emulator.containerGroup(id).orElseThrow().intranetIp()).hasValueSatisfying(ip -> assertThat(ip).startsWith("10.2.0."));
    assertThat(SdkClient.codeOf(onlyA)).isEqualTo(FaultInjector.NO_STOCK_CODE);
    assertThat(emulator.containerGroups()).hasSize(1);
  }

  @Test
  void theNoStockErrorCodeCanBeChosen() {
    emulator.faults().noStock("cn-hangzhou-a").noStockError(403, "OperationDenied.NoStock");

    Exception e = catchException(() -> eci.call("CreateContainerGroup", createIn("stuck", "vsw-a")));

    assertThat(SdkClient.codeOf(e)).isEqualTo("OperationDenied.NoStock");
    assertThat(SdkClient.statusOf(e)).isEqualTo(403);
  }

  @Test
  void aZoneWithoutStockCanFailTheScheduleInstead() throws Exception {
    emulator.faults().noStock("cn-hangzhou-a", FaultInjector.NoStockMode.SCHEDULE_FAILS);

    String id = (String) eci.call("CreateContainerGroup", createIn("late", "vsw-a")).get("ContainerGroupId");

    ContainerGroupSnapshot group = emulator.containerGroup(id).orElseThrow();
    assertThat(group.status()).isEqualTo("ScheduleFailed");
    assertThat(group.eventReasons()).contains("NoStock");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aListingCanAnswerEmptyWhileTheGroupsExist() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", createIn("listed", "vsw-a")).get("ContainerGroupId");
    emulator.faults().emptyAnswerNext("DescribeContainerGroups", 1);

    assertThat((List<?>) eci.call("DescribeContainerGroups", region()).get("ContainerGroups")).isEmpty();
    assertThat((List<Map<String, Object>>) eci.call("DescribeContainerGroups", region()).get("ContainerGroups"))
        .extracting(g -> g.get("ContainerGroupId")).containsExactly(id);
  }

  @Test
  void aVSwitchWithoutFreeAddressesIsReported() throws Exception {
    try (EciEmulator tiny = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ZERO)
        .vSwitch("vsw-tiny", "cn-hangzhou-c", "10.9.0.0/29").build().start()) {
      SdkClient client = new SdkClient(tiny, "ak", "sk", PROVIDER_STYLE);
      for (int i = 0; i < 4; i++) {
        client.call("CreateContainerGroup", createIn("fill-" + i, "vsw-tiny"));
      }

      Exception full = catchException(() -> client.call("CreateContainerGroup", createIn("one-too-many", "vsw-tiny")));

      assertThat(SdkClient.codeOf(full)).isEqualTo("InvalidVSwitchId.IpNotEnough");
      assertThat(tiny.containerGroups()).extracting(g -> g.intranetIp().orElseThrow()).doesNotHaveDuplicates();
    }
  }

  @Test
  void aRestartedEmulatorKeepsItsGroupsOnTheSamePort() throws Exception {
    String id = (String) eci.call("CreateContainerGroup", createIn("survivor", "vsw-a")).get("ContainerGroupId");
    String endpoint = emulator.endpoint();

    emulator.stop();
    Exception down = catchException(() -> eci.call("DescribeContainerGroups", region()));
    emulator.start();

    assertThat(down).isNotNull().isNotInstanceOf(TeaException.class);
    assertThat(emulator.endpoint()).isEqualTo(endpoint);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> groups = (List<Map<String, Object>>) eci.call("DescribeContainerGroups", region()).get("ContainerGroups");
    assertThat(groups).extracting(g -> g.get("ContainerGroupId")).containsExactly(id);
  }

  @Test
  void faultsCanBeInjectedOverTheAdminEndpoint() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/faults/throttle?calls=1&action=DescribeContainerGroups"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    Exception e = catchException(() -> eci.call("DescribeContainerGroups", region()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(SdkClient.codeOf(e)).isEqualTo("Throttling.User");
    HttpResponse<String> calls = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/calls")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(calls.body()).contains("\"DescribeContainerGroups\":1");
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/faults/throttle?calls=many"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("calls is not an integer");
  }

  @Test
  void theAdminEndpointRestartsTheServerAndEndsContainers() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String id = (String) eci.call("CreateContainerGroup", with(createIn("admin", "vsw-a"), "RestartPolicy", "Never")).get("ContainerGroupId");

    HttpResponse<String> exit = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/exit?group=" + id + "&container=app&code=2"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/exit?group=" + id + "&container=app&code=2"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> restart = http.send(HttpRequest.newBuilder(URI.create("http://" + emulator.endpoint() + "/_emulator/restart"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(exit.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("not a running container");
    assertThat(restart.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> eci.call("DescribeContainerGroups", region("Status", "Failed")).get("TotalCount") != null);
    assertThat(emulator.containerGroup(id).orElseThrow().status()).isEqualTo("Failed");
  }
}
