package io.vk4j.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The kit passes providers that keep the contract and fails each one that breaks a rule, with a useful message. */
class ProviderConformanceKitTest {

  /** Runs the kit against {@code subject}; the outcome and message of each test, by method name. */
  private static Map<String, String> run(Class<?> subject) {
    Map<String, String> outcomes = new TreeMap<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(subject)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.getSource().orElse(null) instanceof MethodSource method) {
              outcomes.put(method.getMethodName(), result.getStatus()
                  + result.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
            }
          }

          @Override
          public void executionSkipped(TestIdentifier test, String reason) {
            if (test.getSource().orElse(null) instanceof MethodSource method) {
              outcomes.put(method.getMethodName(), "SKIPPED: " + reason);
            }
          }
        });
    assertThat(outcomes).as("tests run against %s", subject.getSimpleName()).hasSizeGreaterThanOrEqualTo(13);
    return outcomes;
  }

  /** The tests that failed (an aborted test, for a failed assumption, is not a failure). */
  private static Map<String, String> failed(Map<String, String> outcomes) {
    Map<String, String> failed = new TreeMap<>(outcomes);
    failed.values().removeIf(outcome -> !outcome.startsWith("FAILED"));
    return failed;
  }

  @Test
  void aPolledProviderThatKeepsTheContractPassesAndSkipsTheNotificationTest() {
    Map<String, String> outcomes = run(ConformanceSubjects.Correct.class);

    assertThat(failed(outcomes)).isEmpty();
    assertThat(outcomes.get("notificationsSignalEveryChange")).startsWith("ABORTED").contains("PodNotifier");
  }

  @Test
  void aNotifyingProviderThatKeepsTheContractPassesEverything() {
    Map<String, String> outcomes = run(ConformanceSubjects.CorrectNotifying.class);

    assertThat(outcomes.values()).allMatch(outcome -> outcome.equals("SUCCESSFUL"));
  }

  @Test
  void statusesGoingBackToPendingAreCaught() {
    assertThat(failed(run(ConformanceSubjects.Regressing.class)))
        .containsOnlyKeys("statusesNeverGoBack")
        .hasValueSatisfying(new Condition<>(
            message -> message.contains("went back to Pending"), "says the pod went back to Pending"));
  }

  @Test
  void aProviderThatIgnoresUpdatePodIsCaught() {
    assertThat(failed(run(ConformanceSubjects.IgnoresUpdate.class)))
        .containsOnlyKeys("updateIsAppliedOrRefusedAsInvalidInput")
        .hasValueSatisfying(new Condition<>(message -> message.contains("conformance-updated"),
            "names the label updatePod should have added"));
  }

  @Test
  void aNotifierThatDoesNotSignalTheEndOfAPodIsCaught() {
    assertThat(failed(run(ConformanceSubjects.SilentOnDelete.class)))
        .containsOnlyKeys("notificationsSignalEveryChange")
        .hasValueSatisfying(new Condition<>(message -> message.contains("after it ended"),
            "says which notification is missing"));
  }

  @Test
  void deleteOfAnUnknownPodThatFailsIsCaught() {
    assertThat(failed(run(ConformanceSubjects.DeleteOfUnknownFails.class))).containsKey("deleteOfUnknownPodSucceeds");
  }

  @Test
  void aRetriedCreateThatDuplicatesThePodIsCaught() {
    assertThat(failed(run(ConformanceSubjects.DuplicatesOnRetry.class)))
        .hasEntrySatisfying("retriedCreateCreatesOnePod", message -> assertThat(message).contains("three creates"));
  }

  @Test
  void podsThatKeepRunningAfterDeleteAreCaught() {
    assertThat(failed(run(ConformanceSubjects.IgnoresDelete.class))).containsKeys(
        "deletedPodEndsTerminalOrGone", "deleteIsIdempotent", "listPodsReturnsCreatedPods",
        "concurrentCreatesAndDeletesLeaveNoPodBehind");
  }

  @Test
  void statusesChangedAfterTheyWereHandedOverAreCaught() {
    assertThat(failed(run(ConformanceSubjects.MutatesStatus.class))).containsKey("returnedPodsAreNotMutated");
  }

  @Test
  void podsThatNeverRunAreCaughtNamingThePhase() {
    assertThat(failed(run(ConformanceSubjects.NeverRuns.class)))
        .hasEntrySatisfying("createdPodIsReportedRunning",
            message -> assertThat(message).contains("getPod to report Running").contains("Pending"));
  }
}
