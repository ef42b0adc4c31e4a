package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per limit the ECI API reference documents (docs/eci-emulator.md, "Documented limits"): the
 * emulator refuses the request that breaks it, with the error ECI answers, and accepts the one just inside it.
 * Through the real SDK, signed as the provider signs (V1, form body).
 */
class DocumentedLimitsTest {

  private final MutableClock clock = new MutableClock(Instant.now());
  private EciEmulator emulator;
  private SdkClient eci;

  @BeforeEach
  void start() {
    emulator = EciEmulator.builder().credentials("ak", "sk").clock(clock).groupTransitionDelay(Duration.ofSeconds(1))
        .build().start();
    eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /** A create request whose first container is changed by {@code container} and the group by {@code group}. */
  private static Map<String, Object> request(Consumer<Map<String, Object>> container, Consumer<Map<String, Object>> group) {
    Map<String, Object> c = container("app", "nginx");
    container.accept(c);
    Map<String, Object> p = create("limits", Map.of(), c);
    group.accept(p);
    return p;
  }

  private static List<String> times(int n, String value) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(value + i);
    }
    return list;
  }

  private static Map<String, Object> configFile(String content, String mode) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("Path", "app.conf");
    file.put("Content", Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
    if (mode != null) {
      file.put("Mode", mode);
    }
    return Map.of("Name", "config", "Type", "ConfigFileVolume", "ConfigFileVolume", Map.of("ConfigFileToPath", List.of(file)));
  }

  private static List<Map<String, Object>> emptyDirs(int n) {
    List<Map<String, Object>> volumes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      volumes.add(Map.of("Name", "v" + i, "Type", "EmptyDirVolume"));
    }
    return volumes;
  }

  private static List<Map<String, Object>> containers(int n) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(container("c" + i, "nginx"));
    }
    return list;
  }

  private static List<Map<String, Object>> tags(int n, String key, String value) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(Map.of("Key", n == 1 ? key : key + i, "Value", value));
    }
    return list;
  }

  private static Consumer<Map<String, Object>> set(String key, Object value) {
    return m -> m.put(key, value);
  }

  private static final Consumer<Map<String, Object>> NONE = m -> {};

  static Stream<Arguments> createLimits() {
    return Stream.of(
        // name, the request that breaks the limit, the one inside it, what the refusal names
        Arguments.of("capability outside NET_ADMIN/NET_RAW",
            request(set("SecurityContext", Map.of("Capability", Map.of("Add", List.of("SYS_ADMIN")))), NONE),
            request(set("SecurityContext", Map.of("Capability", Map.of("Add", List.of("NET_ADMIN")))), NONE),
            "Capability.Add"),
        Arguments.of("NET_RAW without the allow list",
            request(set("SecurityContext", Map.of("Capability", Map.of("Add", List.of("NET_RAW")))), NONE),
            request(NONE, NONE), "Capability.Add"),
        Arguments.of("group sysctl other than the two safe ones",
            request(NONE, set("SecurityContext", Map.of("Sysctl", List.of(Map.of("Name", "net.core.somaxconn", "Value", "1024"))))),
            request(NONE, set("SecurityContext", Map.of("Sysctl", List.of(Map.of("Name", "net.ipv4.ping_group_range", "Value", "0 1000"))))),
            "SecurityContext.Sysctl.1.Name"),
        Arguments.of("host sysctl outside the unsafe list",
            request(NONE, set("HostSecurityContext", Map.of("Sysctl", List.of(Map.of("Name", "kernel.shm_rmid_forced", "Value", "1"))))),
            request(NONE, set("HostSecurityContext", Map.of("Sysctl", List.of(Map.of("Name", "net.core.somaxconn", "Value", "1024"))))),
            "HostSecurityContext.Sysctl.1.Name"),
        Arguments.of("probe SuccessThreshold other than 1",
            request(set("ReadinessProbe", Map.of("SuccessThreshold", 3, "TcpSocket", Map.of("Port", 80))), NONE),
            request(set("ReadinessProbe", Map.of("SuccessThreshold", 1, "TcpSocket", Map.of("Port", 80))), NONE),
            "ReadinessProbe.SuccessThreshold"),
        Arguments.of("ReadOnlyRootFilesystem false",
            request(set("SecurityContext", Map.of("ReadOnlyRootFilesystem", false)), NONE),
            request(set("SecurityContext", Map.of("ReadOnlyRootFilesystem", true)), NONE), "ReadOnlyRootFilesystem"),
        Arguments.of("env value over 256 characters",
            request(set("EnvironmentVar", List.of(Map.of("Key", "A", "Value", "x".repeat(257)))), NONE),
            request(set("EnvironmentVar", List.of(Map.of("Key", "A", "Value", "x".repeat(256)))), NONE),
            "EnvironmentVar.1.Value"),
        Arguments.of("env key outside letters, digits and underscores",
            request(set("EnvironmentVar", List.of(Map.of("Key", "my.var", "Value", "x"))), NONE),
            request(set("EnvironmentVar", List.of(Map.of("Key", "MY_VAR", "Value", "x"))), NONE),
            "EnvironmentVar.1.Key"),
        Arguments.of("more than 10 args",
            request(set("Arg", times(11, "a")), NONE), request(set("Arg", times(10, "a")), NONE), "Container.1.Arg"),
        Arguments.of("more than 20 command entries",
            request(set("Command", times(21, "c")), NONE), request(set("Command", times(20, "c")), NONE),
            "Container.1.Command"),
        Arguments.of("a command entry over 256 characters",
            request(set("Command", List.of("c".repeat(257))), NONE), request(set("Command", List.of("c".repeat(256))), NONE),
            "Container.1.Command.1"),
        Arguments.of("a config file over 32 KiB",
            request(NONE, set("Volume", List.of(configFile("x".repeat(32 * 1024 + 1), null)))),
            request(NONE, set("Volume", List.of(configFile("x".repeat(32 * 1024), null)))), "ConfigFileToPath.1.Content"),
        Arguments.of("a file mode that is not four octal digits",
            request(NONE, set("Volume", List.of(configFile("x", "420")))),
            request(NONE, set("Volume", List.of(configFile("x", "0644")))), "ConfigFileToPath.1.Mode"),
        Arguments.of("more than 20 containers",
            request(NONE, set("Container", containers(21))), request(NONE, set("Container", containers(20))), "Container"),
        Arguments.of("more than 20 containers and init containers together",
            request(NONE, m -> {
              m.put("Container", containers(15));
              m.put("InitContainer", List.of(container("i1", "busybox"), container("i2", "busybox"), container("i3", "busybox"),
                  container("i4", "busybox"), container("i5", "busybox"), container("i6", "busybox")));
            }),
            request(NONE, m -> {
              m.put("Container", containers(15));
              m.put("InitContainer", List.of(container("i1", "busybox"), container("i2", "busybox"), container("i3", "busybox"),
                  container("i4", "busybox"), container("i5", "busybox")));
            }), "Container"),
        Arguments.of("more than 20 volumes",
            request(NONE, set("Volume", emptyDirs(21))), request(NONE, set("Volume", emptyDirs(20))), "Volume"),
        Arguments.of("a tag value over 128 characters",
            request(NONE, set("Tag", tags(1, "k", "v".repeat(129)))), request(NONE, set("Tag", tags(1, "k", "v".repeat(128)))),
            "Tag.1.Value"),
        Arguments.of("a tag key over 64 characters",
            request(NONE, set("Tag", tags(1, "k".repeat(65), "v"))), request(NONE, set("Tag", tags(1, "k".repeat(64), "v"))),
            "Tag.1.Key"),
        Arguments.of("a tag key with a reserved prefix",
            request(NONE, set("Tag", tags(1, "aliyun-owner", "v"))), request(NONE, set("Tag", tags(1, "owner", "v"))), "Tag.1.Key"),
        Arguments.of("more than 20 tags",
            request(NONE, set("Tag", tags(21, "k", "v"))), request(NONE, set("Tag", tags(20, "k", "v"))), "Tag"),
        Arguments.of("more than 10 vSwitches",
            request(NONE, set("VSwitchId", String.join(",", times(11, "vsw-a")))),
            request(NONE, set("VSwitchId", String.join(",", times(10, "vsw-a")))), "VSwitchId"),
        Arguments.of("more than 5 security groups",
            request(NONE, set("SecurityGroupId", String.join(",", times(6, "sg-a")))),
            request(NONE, set("SecurityGroupId", String.join(",", times(5, "sg-a")))), "SecurityGroupId"),
        Arguments.of("Kubernetes' File termination message policy",
            request(set("TerminationMessagePolicy", "File"), NONE),
            request(set("TerminationMessagePolicy", "FallbackToLogsOnError"), NONE), "TerminationMessagePolicy"),
        Arguments.of("an emptyDir size without a unit",
            request(NONE, set("Volume", List.of(Map.of("Name", "s", "Type", "EmptyDirVolume", "EmptyDirVolume", Map.of("SizeLimit", "1024"))))),
            request(NONE, set("Volume", List.of(Map.of("Name", "s", "Type", "EmptyDirVolume", "EmptyDirVolume", Map.of("SizeLimit", "1Gi"))))),
            "EmptyDirVolume.SizeLimit"),
        Arguments.of("a vCPU-memory spec as InstanceType",
            request(NONE, set("InstanceType", "2-4Gi")), request(NONE, set("InstanceType", "ecs.c6.large")), "InstanceType"),
        Arguments.of("GPUs without a GPU instance type",
            request(set("Gpu", 1), set("InstanceType", "ecs.c6.large")),
            request(set("Gpu", 1), set("InstanceType", "ecs.gn6i-c4g1.xlarge")), "Container.1.Gpu"),
        Arguments.of("a host path volume without the allow list",
            request(NONE, set("Volume", List.of(Map.of("Name", "h", "Type", "HostPathVolume", "HostPathVolume", Map.of("Path", "/proc"))))),
            request(NONE, NONE), "Volume.1.Type"),
        Arguments.of("a privileged container without the allow list",
            request(set("SecurityContextPrivileged", true), NONE), request(set("SecurityContextPrivileged", false), NONE),
            "SecurityContextPrivileged"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createLimits")
  void createRefusesWhatBreaksALimitAndAcceptsWhatIsInside(String limit, Map<String, Object> bad, Map<String, Object> good,
      String field) throws Exception {
    assertThatThrownBy(() -> eci.call("CreateContainerGroup", bad)).satisfies(e -> {
      assertThat(SdkClient.codeOf((Exception) e)).isEqualTo("InvalidParameter");
      assertThat(SdkClient.statusOf((Exception) e)).isEqualTo(400);
      assertThat(e).hasMessageContaining(field);
    });
    assertThat(emulator.containerGroups()).isEmpty();
    assertThat(eci.call("CreateContainerGroup", good).get("ContainerGroupId")).isNotNull();
  }

  @Test
  void allowListedAccountsMayAddNetRawAndMountHostPaths() throws Exception {
    emulator.close();
    emulator = EciEmulator.builder().credentials("ak", "sk").clock(clock)
        .allowListed(AccountFeature.NET_RAW, AccountFeature.HOST_PATH_VOLUMES).build().start();
    eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
    eci.call("CreateContainerGroup", request(set("SecurityContext", Map.of("Capability", Map.of("Add", List.of("NET_RAW")))),
        set("Volume", List.of(Map.of("Name", "h", "Type", "HostPathVolume", "HostPathVolume", Map.of("Path", "/proc"))))));
    assertThat(emulator.containerGroups()).hasSize(1);
  }

  @Test
  void aDryRunChecksEverythingAndCreatesNothing() throws Exception {
    assertThatThrownBy(() -> eci.call("CreateContainerGroup", request(NONE, set("DryRun", true))))
        .satisfies(e -> assertThat(SdkClient.codeOf((Exception) e)).isEqualTo("DryRunOperation"));
    assertThatThrownBy(() -> eci.call("CreateContainerGroup", request(set("Arg", times(11, "a")), set("DryRun", true))))
        .satisfies(e -> assertThat(SdkClient.codeOf((Exception) e)).isEqualTo("InvalidParameter"));
    assertThat(emulator.containerGroups()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void eventsComeOnlyWithWithEventAndAtMostFifty() throws Exception {
    List<Map<String, Object>> twenty = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      twenty.add(container("c" + i, "nginx:1." + i)); // Pulling, Pulled, Created, Started each: 80 events
    }
    String id = (String) eci.call("CreateContainerGroup", Requests.with(create("chatty", Map.of(), container("x", "x")),
        "Container", twenty)).get("ContainerGroupId");
    clock.advance(Duration.ofSeconds(3));
    assertThat(emulator.containerGroup(id).orElseThrow().eventReasons()).hasSizeGreaterThan(50);

    Map<String, Object> without = ((List<Map<String, Object>>) eci.call("DescribeContainerGroups",
        region("ContainerGroupIds", "[\"" + id + "\"]")).get("ContainerGroups")).get(0);
    assertThat((List<?>) without.get("Events")).isEmpty();
    Map<String, Object> with = ((List<Map<String, Object>>) eci.call("DescribeContainerGroups",
        region("ContainerGroupIds", "[\"" + id + "\"]", "WithEvent", true)).get("ContainerGroups")).get(0);
    List<Map<String, Object>> events = (List<Map<String, Object>>) with.get("Events");
    assertThat(events).hasSize(50);
    // the newest ones
    assertThat(events.get(events.size() - 1)).containsEntry("Reason", "Started");
  }
}
