package io.vk4j.provider.fake;

import static io.vk4j.provider.fake.Pods.name;
import static io.vk4j.provider.fake.Pods.ns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.TerminalSize;
import io.vk4j.testkit.conformance.ConformancePods;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeProviderExecTest {
  private final FakeProvider provider = new FakeProvider(FakeProviderOptions.builder().startDelay(Duration.ZERO).build());
  private V1Pod pod;
  private ContainerRef main;

  @BeforeEach
  void runPod() throws Exception {
    pod = Pods.pod();
    pod.getSpec().getContainers().get(0).setEnv(List.of(new V1EnvVar().name("GREETING").value("hi there")));
    provider.createPod(ConformancePods.copy(pod));
    await().atMost(Duration.ofSeconds(60))
        .until(() -> "Running".equals(provider.getPod(ns(pod), name(pod)).map(V1Pod::getStatus).orElseThrow().getPhase()));
    main = ContainerRef.of(ns(pod), name(pod), "main");
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private TestAttachIO run(String... command) throws Exception {
    TestAttachIO io = new TestAttachIO();
    int code = provider.runInContainer(main, List.of(command), io);
    io.err.write(("[exit " + code + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return io;
  }

  @Test
  void echoHostnameAndEnvironmentBuiltIns() throws Exception {
    assertThat(run("echo", "hello", "world").out()).isEqualTo("hello world\n");
    assertThat(run("hostname").out()).isEqualTo(name(pod) + "\n");
    assertThat(run("cat", "/etc/hostname").out()).isEqualTo(name(pod) + "\n");
    assertThat(run("env").out()).contains("GREETING=hi there\n").contains("HOSTNAME=" + name(pod) + "\n");
    assertThat(run("printenv", "GREETING").out()).isEqualTo("hi there\n");
    assertThat(run("/bin/pwd").out()).isEqualTo("/\n");
  }

  @Test
  void exitCodesComeBack() throws Exception {
    assertThat(run("exit", "3").err()).isEqualTo("[exit 3]");
    assertThat(run("true").err()).isEqualTo("[exit 0]");
    assertThat(run("false").err()).isEqualTo("[exit 1]");
    assertThat(run("printenv", "MISSING").err()).isEqualTo("[exit 1]");
  }

  @Test
  void shellScriptsRunTheirCommandsInTurn() throws Exception {
    TestAttachIO io = run("sh", "-c", "echo 'one  two'; echo three; exit 4; echo never");

    assertThat(io.out()).isEqualTo("one  two\nthree\n");
    assertThat(io.err()).isEqualTo("[exit 4]");
  }

  @Test
  void shellScriptsReplaceVariablesOutsideSingleQuotes() throws Exception {
    TestAttachIO io = run("sh", "-c", "echo $GREETING; echo \"${GREETING}!\" '$GREETING' [$MISSING] $?");

    assertThat(io.out()).isEqualTo("hi there\nhi there! $GREETING [] $?\n");
    assertThat(run("echo", "$GREETING").out()).as("no shell, no expansion").isEqualTo("$GREETING\n");
  }

  @Test
  void anInteractiveShellRunsSeveralCommandsOnALine() throws Exception {
    TestAttachIO io = new TestAttachIO("echo one; exit 6\necho never\n", false);

    assertThat(provider.runInContainer(main, List.of("sh"), io)).isEqualTo(6);
    assertThat(io.out()).isEqualTo("/ # one\n");
  }

  @Test
  void unknownCommandsExit127WithAMessageOnStderr() throws Exception {
    TestAttachIO io = run("nginx", "-t");

    assertThat(io.out()).isEmpty();
    assertThat(io.err()).isEqualTo("nginx: command not found\n[exit 127]");
  }

  @Test
  void catCopiesStdinAndReportsMissingFiles() throws Exception {
    TestAttachIO io = new TestAttachIO("line 1\nline 2\n", false);
    assertThat(provider.runInContainer(main, List.of("cat"), io)).isZero();
    assertThat(io.out()).isEqualTo("line 1\nline 2\n");

    TestAttachIO missing = run("cat", "/etc/shadow");
    assertThat(missing.err()).isEqualTo("cat: /etc/shadow: No such file or directory\n[exit 1]");
  }

  @Test
  void anInteractiveShellRunsTheLinesOfStdinUntilExit() throws Exception {
    TestAttachIO io = new TestAttachIO("echo one\nhostname\nexit 5\necho never\n", false);

    assertThat(provider.runInContainer(main, List.of("sh"), io)).isEqualTo(5);
    assertThat(io.out()).isEqualTo("/ # one\n/ # " + name(pod) + "\n/ # ");
  }

  @Test
  void inATerminalTheShellEchoesWhatItReadsAndLinesEndInCrLf() throws Exception {
    TestAttachIO io = new TestAttachIO("echo one\rexit 5\r", true);

    assertThat(provider.runInContainer(main, List.of("sh"), io)).isEqualTo(5);
    assertThat(io.out()).isEqualTo("/ # echo one\r\none\r\n/ # exit 5\r\n");
  }

  @Test
  void sttySizeFollowsTheClientsTerminal() throws Exception {
    TestAttachIO io = new TestAttachIO(null, true);
    assertThat(provider.runInContainer(main, List.of("stty", "size"), io)).isZero();
    assertThat(io.out()).isEqualTo("0 0\r\n");

    TestAttachIO sized = new TestAttachIO(null, true, TerminalSize.of(132, 43));
    assertThat(provider.runInContainer(main, List.of("stty", "size"), sized)).isZero();
    assertThat(sized.out()).isEqualTo("43 132\r\n");
    assertThat(run("stty", "size").err()).contains("Inappropriate ioctl for device").endsWith("[exit 1]");
  }

  @Test
  void sleepWaitsAndRejectsBadIntervals() throws Exception {
    assertThat(run("sleep", "0.05").err()).isEqualTo("[exit 0]");
    assertThat(run("sleep", "soon").err()).isEqualTo("sleep: invalid time interval 'soon'\n[exit 1]");
  }

  @Test
  void aTerminalMergesStderrIntoStdout() throws Exception {
    TestAttachIO io = new TestAttachIO(null, true);

    assertThat(provider.runInContainer(main, List.of("nope"), io)).isEqualTo(127);
    assertThat(io.out()).isEqualTo("nope: command not found\r\n");
  }

  @Test
  void execNeedsARunningContainerOfAKnownPod() throws Exception {
    assertThatCode(() -> run("echo")).doesNotThrowAnyException();
    assertThatThrownBy(() -> provider.runInContainer(ContainerRef.of(ns(pod), "ghost", "main"), List.of("echo"), new TestAttachIO()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> provider.runInContainer(ContainerRef.of(ns(pod), name(pod), "ghost"), List.of("echo"), new TestAttachIO()))
        .isInstanceOf(NotFoundException.class);
    provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
    assertThatThrownBy(() -> run("echo"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.reason()).isEqualTo("ContainerNotRunning"));
  }
}
