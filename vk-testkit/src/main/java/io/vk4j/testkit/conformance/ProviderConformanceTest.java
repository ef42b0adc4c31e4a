package io.vk4j.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.RetryableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks a provider against the contract of {@link Provider} (and {@link PodNotifier} when it
 * implements it). Extend it in your provider's tests and implement {@link #createProvider()}:
 *
 * <pre>{@code
 * class MyProviderConformanceTest extends ProviderConformanceTest {
 *   @Override
 *   protected Provider createProvider() {
 *     return new MyProvider(testConfig());
 *   }
 * }
 * }</pre>
 *
 * Every test gets a fresh provider, deletes the pods it created and closes the provider. Override
 * {@link #customizePod}, {@link #runningTimeout()} and {@link #terminationTimeout()} for backends
 * that need more.
 */
public abstract class ProviderConformanceTest {

  private static final Set<String> TERMINAL = Set.of("Succeeded", "Failed");
  private static final Map<String, Integer> PHASE_ORDER = Map.of("Pending", 0, "Running", 1, "Succeeded", 2, "Failed", 2);

  private Provider provider;
  private StatusRecorder recorder;
  private String namespace;
  private final List<V1Pod> created = new CopyOnWriteArrayList<>();
  /** Every status getPod reported, per pod UID, in order. */
  private final Map<String, List<V1Pod>> observed = new ConcurrentHashMap<>();

  /** A fresh provider, for one test. The kit closes it after the test. */
  protected abstract Provider createProvider() throws Exception;

  /**
   * The pod a test creates, from a valid one the kit built ({@link ConformancePods#pod(String)}).
   * Override to add what your backend needs (an image it can run, resources, annotations); keep the
   * namespace, name and UID.
   */
  protected V1Pod customizePod(V1Pod pod) {
    return pod;
  }

  /** How long a created pod may take to be reported Running. */
  protected Duration runningTimeout() {
    return Duration.ofSeconds(60);
  }

  /** How long a deleted pod may take to be reported terminal or to vanish. */
  protected Duration terminationTimeout() {
    return Duration.ofSeconds(60);
  }

  /** How many pods the concurrency test creates and deletes. */
  protected int concurrentPods() {
    return 100;
  }

  /** How many threads call the provider at once in the concurrency test (the runtime's worker count). */
  protected int concurrency() {
    return 10;
  }

  /** The provider under test. */
  protected final Provider provider() {
    return provider;
  }

  @BeforeEach
  final void startProvider() throws Exception {
    namespace = ConformancePods.uniqueName("conformance");
    recorder = new StatusRecorder();
    provider = createProvider();
    assertThat(provider).as("createProvider() returned null").isNotNull();
    if (provider instanceof PodNotifier notifier) {
      notifier.notifyPods(recorder);
    }
  }

  @AfterEach
  final void closeProvider() {
    if (provider == null) {
      return;
    }
    try {
      for (V1Pod pod : created) {
        try {
          provider.deletePod(ConformancePods.markedForDeletion(pod, 0));
        } catch (ProviderException | RuntimeException e) {
          // best effort: the test has already reported what matters
        }
      }
    } finally {
      provider.close();
    }
  }

  @Test
  @DisplayName("a created pod is reported Running")
  void createdPodIsReportedRunning() throws Exception {
    V1Pod pod = create(newPod());
    awaitRunning(pod);
    Optional<V1Pod> got = provider.getPod(namespace, name(pod));
    assertThat(got).as("getPod(%s) after the pod was reported Running", ConformancePods.describe(pod)).isPresent();
    assertThat(got.get().getMetadata()).as("metadata of getPod(%s)", ConformancePods.describe(pod)).isNotNull();
    assertThat(got.get().getMetadata().getUid()).as("UID returned by getPod(%s)", ConformancePods.describe(pod))
        .isEqualTo(uid(pod));
    assertThat(got.get().getMetadata().getNamespace()).as("namespace returned by getPod").isEqualTo(namespace);
    assertThat(got.get().getMetadata().getName()).as("name returned by getPod").isEqualTo(name(pod));
    assertThat(got.get().getStatus()).as("status of getPod(%s)", ConformancePods.describe(pod)).isNotNull();
  }

  @Test
  @DisplayName("getPod of a pod never created is empty (or NotFound)")
  void unknownPodIsNotFound() throws Exception {
    String name = ConformancePods.uniqueName("never-created");
    try {
      assertThat(provider.getPod(namespace, name)).as("getPod of a pod never created").isEmpty();
    } catch (NotFoundException expected) {
      // also allowed
    }
    assertThat(provider.listPods()).as("listPods of a fresh provider: pods of namespace %s", namespace)
        .noneMatch(p -> p.getMetadata() != null && namespace.equals(p.getMetadata().getNamespace()));
  }

  @Test
  @DisplayName("deleting a pod twice succeeds both times")
  void deleteIsIdempotent() throws Exception {
    V1Pod pod = create(newPod());
    awaitRunning(pod);
    delete(pod);
    delete(pod);
    awaitTerminalOrGone(pod);
    delete(pod);
  }

  @Test
  @DisplayName("deleting a pod that was never created succeeds")
  void deleteOfUnknownPodSucceeds() throws Exception {
    delete(customizePod(ConformancePods.pod(namespace)));
  }

  @Test
  @DisplayName("after delete a pod is reported terminal, every container terminated, or is gone")
  void deletedPodEndsTerminalOrGone() throws Exception {
    V1Pod pod = create(newPod());
    awaitRunning(pod);
    delete(pod);
    awaitTerminalOrGone(pod);
  }

  @Test
  @DisplayName("a pod deleted while it starts is reported terminal or gone, never Running afterwards")
  void podDeletedWhileStartingEndsTerminalOrGone() throws Exception {
    V1Pod pod = create(newPod());
    delete(pod);
    awaitTerminalOrGone(pod);
  }

  @Test
  @DisplayName("listPods returns the pods created and no deleted pod that is not terminal")
  void listPodsReturnsCreatedPods() throws Exception {
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pods.add(create(newPod()));
    }
    for (V1Pod pod : pods) {
      awaitRunning(pod);
    }
    List<V1Pod> all = provider.listPods();
    assertThat(all).as("pods from listPods() without namespace, name or UID")
        .allSatisfy(p -> assertThat(p.getMetadata() != null && p.getMetadata().getNamespace() != null
            && p.getMetadata().getName() != null && p.getMetadata().getUid() != null)
            .as("metadata of listed pod %s", JSON.serialize(p.getMetadata())).isTrue());
    Map<String, V1Pod> listed = byUid(all);
    for (V1Pod pod : pods) {
      assertThat(listed).as("listPods() after creating %s: UIDs listed", ConformancePods.describe(pod))
          .containsKey(uid(pod));
    }
    V1Pod deleted = pods.get(0);
    delete(deleted);
    await("listPods() to drop deleted pod " + ConformancePods.describe(deleted) + " or to report it terminal")
        .atMost(terminationTimeout())
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          V1Pod still = byUid(provider.listPods()).get(uid(deleted));
          if (still != null) {
            assertTerminal(still.getStatus(), "listPods() entry of deleted pod " + ConformancePods.describe(deleted));
          }
        });
    Map<String, V1Pod> after = byUid(provider.listPods());
    assertThat(after).as("listPods() after deleting another pod still has the pods not deleted")
        .containsKeys(uid(pods.get(1)), uid(pods.get(2)));
  }

  @Test
  @DisplayName("a retried create with the same UID creates only one pod")
  void retriedCreateCreatesOnePod() throws Exception {
    V1Pod pod = create(newPod());
    create(pod);
    awaitRunning(pod);
    create(pod);
    List<V1Pod> same = provider.listPods().stream()
        .filter(p -> p.getMetadata() != null && name(pod).equals(p.getMetadata().getName())
            && namespace.equals(p.getMetadata().getNamespace()))
        .toList();
    assertThat(same).as("pods named %s listed after three creates with the same UID", ConformancePods.describe(pod))
        .hasSize(1);
    V1PodStatus status = statusOf(pod).orElseThrow(
        () -> new AssertionError("getPod of " + ConformancePods.describe(pod) + " is empty after a retried create"));
    assertThat(status.getPhase()).as("phase of %s after a create retried when it was Running (it must not restart)",
        ConformancePods.describe(pod)).isEqualTo("Running");
    for (V1ContainerStatus container : containers(status)) {
      assertThat(container.getRestartCount()).as("restartCount of container %s after a retried create", container.getName())
          .isIn(null, 0);
    }
  }

  @Test
  @DisplayName("updatePod of a running pod is applied (getPod shows the new labels), or refused as invalid input;"
      + " either way the pod keeps running")
  void updateIsAppliedOrRefusedAsInvalidInput() throws Exception {
    V1Pod pod = create(newPod());
    awaitRunning(pod);
    V1Pod updated = ConformancePods.copy(pod);
    Map<String, String> labels = new HashMap<>(updated.getMetadata().getLabels() == null ? Map.of()
        : updated.getMetadata().getLabels());
    labels.put("conformance-updated", "true");
    updated.getMetadata().setLabels(labels);
    boolean refused = false;
    try {
      provider.updatePod(ConformancePods.copy(updated));
    } catch (InvalidInputException e) {
      refused = true; // allowed: the backend cannot change a running pod in place
    }
    if (!refused) {
      await("getPod(" + ConformancePods.describe(pod) + ") to show the label updatePod added")
          .atMost(runningTimeout())
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(provider.getPod(namespace, name(pod)).map(p -> p.getMetadata().getLabels()))
              .as("labels of getPod(%s) after updatePod added conformance-updated=true (a provider that ignores"
                  + " updatePod must throw InvalidInputException instead)", ConformancePods.describe(pod))
              .hasValueSatisfying(l -> assertThat(l).containsEntry("conformance-updated", "true")));
    }
    assertThat(statusOf(pod).map(V1PodStatus::getPhase)).as("phase of %s after updatePod with a new label",
        ConformancePods.describe(pod)).contains("Running");
  }

  @Test
  @DisplayName("a fresh provider answers ping")
  void pingSucceeds() throws Exception {
    provider.ping();
  }

  @Test
  @DisplayName("a notifier signals every change: the pod's start and its end after delete")
  void notificationsSignalEveryChange() throws Exception {
    Assumptions.assumeTrue(provider instanceof PodNotifier, "the provider does not implement PodNotifier");
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pods.add(create(newPod()));
    }
    Map<String, Integer> beforeDelete = new HashMap<>();
    for (V1Pod pod : pods) {
      awaitRunning(pod);
      awaitNotified(pod, 1, "after it was reported Running");
      beforeDelete.put(uid(pod), recorder.of(pod).size());
    }
    for (V1Pod pod : pods) {
      delete(pod);
    }
    for (V1Pod pod : pods) {
      awaitTerminalOrGone(pod);
      awaitNotified(pod, beforeDelete.get(uid(pod)) + 1, "after it ended (deleted)");
    }
    assertThat(recorder.violations()).as("contract violations in notifications").isEmpty();
  }

  @Test
  @DisplayName("statuses from getPod never go back: Pending, Running, then Succeeded or Failed; restarts only grow")
  void statusesNeverGoBack() throws Exception {
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pods.add(create(newPod()));
    }
    for (V1Pod pod : pods) {
      awaitRunning(pod);
    }
    for (V1Pod pod : pods) {
      delete(pod);
    }
    for (V1Pod pod : pods) {
      awaitTerminalOrGone(pod);
      assertInOrder(pod, observed.getOrDefault(uid(pod), List.of()));
    }
  }

  @Test
  @DisplayName("pods and statuses handed to the runtime are not mutated afterwards")
  void returnedPodsAreNotMutated() throws Exception {
    V1Pod pod = create(newPod());
    awaitRunning(pod);
    V1Pod running = provider.getPod(namespace, name(pod)).orElseThrow();
    V1PodStatus runningStatus = running.getStatus();
    String runningJson = JSON.serialize(running);
    String statusJson = JSON.serialize(runningStatus);
    delete(pod);
    awaitTerminalOrGone(pod);
    assertThat(JSON.serialize(running)).as("the pod returned by getPod(%s) while Running, after the pod was deleted",
        ConformancePods.describe(pod)).isEqualTo(runningJson);
    assertThat(JSON.serialize(runningStatus)).as("the status of getPod(%s) while Running, after delete",
        ConformancePods.describe(pod)).isEqualTo(statusJson);
    for (StatusRecorder.Notification notification : recorder.of(pod)) {
      assertThat(JSON.serialize(notification.pod())).as("a pod notified for %s, compared with when it was notified",
          ConformancePods.describe(pod)).isEqualTo(notification.json());
    }
  }

  @Test
  @DisplayName("concurrent creates and deletes of many pods leave no pod behind")
  void concurrentCreatesAndDeletesLeaveNoPodBehind() throws Exception {
    int count = concurrentPods();
    List<V1Pod> pods = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pods.add(newPod());
    }
    ExecutorService workers = Executors.newFixedThreadPool(concurrency());
    try {
      // odd pods are deleted right after their create, racing with their start; even ones later
      List<Future<?>> first = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        V1Pod pod = pods.get(i);
        boolean deleteAtOnce = i % 2 == 1;
        first.add(workers.submit(() -> {
          create(pod);
          if (deleteAtOnce) {
            delete(pod);
          }
          return null;
        }));
      }
      waitAll(first, "creating (and deleting every other one of) " + count + " pods concurrently");
      List<Future<?>> second = new ArrayList<>();
      for (int i = 0; i < count; i += 2) {
        V1Pod pod = pods.get(i);
        second.add(workers.submit(() -> {
          delete(pod);
          return null;
        }));
      }
      waitAll(second, "deleting " + (count + 1) / 2 + " pods concurrently");
    } finally {
      workers.shutdownNow();
    }
    Map<String, V1Pod> byUid = pods.stream().collect(Collectors.toMap(ProviderConformanceTest::uid, p -> p));
    await("every one of " + count + " pods created and deleted concurrently to be gone or terminal")
        .atMost(terminationTimeout().plus(runningTimeout()))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          List<String> leftBehind = new ArrayList<>();
          for (V1Pod listed : provider.listPods()) {
            String uid = listed.getMetadata() == null ? null : listed.getMetadata().getUid();
            if (byUid.containsKey(uid) && !isTerminal(listed.getStatus())) {
              leftBehind.add(ConformancePods.describe(listed) + " phase " + phase(listed.getStatus()));
            }
          }
          assertThat(leftBehind).as("pods listed after delete that are not terminal").isEmpty();
        });
    for (V1Pod pod : pods) {
      awaitTerminalOrGone(pod);
    }
  }

  // --- helpers for subclasses that add tests of their own

  /** A new valid pod in this test's namespace, customized, that the kit deletes after the test. */
  protected final V1Pod newPod() {
    V1Pod pod = customizePod(ConformancePods.pod(namespace));
    created.add(pod);
    return pod;
  }

  /**
   * Creates a copy of {@code pod} (the provider owns what it is given), retrying on
   * {@link RetryableException} as the runtime would, for up to {@link #runningTimeout()}.
   */
  protected final V1Pod create(V1Pod pod) {
    AtomicReference<RetryableException> lastFailure = new AtomicReference<>();
    try {
      await("createPod(" + ConformancePods.describe(pod) + ") to succeed")
          .atMost(runningTimeout())
          .pollDelay(Duration.ZERO)
          .pollInterval((count, previous) -> count <= 1 ? Duration.ofMillis(20)
              : previous.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : previous.multipliedBy(2))
          .until(() -> tryCreate(pod, lastFailure));
    } catch (ConditionTimeoutException e) {
      RetryableException failure = lastFailure.get();
      throw new AssertionError("createPod(" + ConformancePods.describe(pod) + ") kept failing with a retryable error for "
          + runningTimeout() + (failure == null ? "" : ": " + failure.reason() + ": " + failure.getMessage()), failure);
    }
    return pod;
  }

  private boolean tryCreate(V1Pod pod, AtomicReference<RetryableException> lastFailure) throws ProviderException {
    try {
      provider.createPod(ConformancePods.copy(pod));
      return true;
    } catch (RetryableException e) {
      lastFailure.set(e);
      return false;
    }
  }

  /** Deletes {@code pod} as the runtime does; not found counts as success. */
  protected final void delete(V1Pod pod) throws ProviderException {
    try {
      provider.deletePod(ConformancePods.markedForDeletion(pod, 30));
    } catch (NotFoundException e) {
      // success by contract
    }
  }

  /**
   * Waits until {@code pod} is reported Running by getPod (and, when the provider is a
   * {@link PodNotifier}, until a notification for it arrived).
   */
  protected final void awaitRunning(V1Pod pod) {
    String what = ConformancePods.describe(pod);
    await("getPod to report Running for " + what)
        .atMost(runningTimeout())
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> {
          Optional<V1PodStatus> status = observe(pod);
          assertThat(status).as("getPod(%s)", what).isPresent();
          assertThat(status.get().getPhase()).as("phase from getPod(%s): %s", what, JSON.serialize(status.get()))
              .isEqualTo("Running");
        });
  }

  private void awaitNotified(V1Pod pod, int atLeast, String when) {
    await("a notification for " + ConformancePods.describe(pod) + " " + when)
        .atMost(terminationTimeout())
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(recorder.of(pod)).as("notifications for %s %s (violations: %s)",
            ConformancePods.describe(pod), when, recorder.violations()).hasSizeGreaterThanOrEqualTo(atLeast));
  }

  /** The pod's status from getPod, remembered for the order check; empty when getPod has no such pod. */
  private Optional<V1PodStatus> observe(V1Pod pod) throws ProviderException {
    Optional<V1Pod> got = provider.getPod(namespace(pod), name(pod));
    if (got.isEmpty() || got.get().getMetadata() == null || !uid(pod).equals(got.get().getMetadata().getUid())) {
      return Optional.empty();
    }
    if (got.get().getStatus() != null) {
      observed.computeIfAbsent(uid(pod), u -> new CopyOnWriteArrayList<>()).add(ConformancePods.copy(got.get()));
    }
    return Optional.ofNullable(got.get().getStatus());
  }

  private Optional<V1PodStatus> statusOf(V1Pod pod) throws ProviderException {
    return provider.getPod(namespace(pod), name(pod)).map(V1Pod::getStatus);
  }

  /** Waits until getPod reports {@code pod} terminal, with every container terminated, or no longer returns it. */
  protected final void awaitTerminalOrGone(V1Pod pod) {
    String what = ConformancePods.describe(pod);
    await("getPod(" + what + ") to report a terminal status or nothing after delete")
        .atMost(terminationTimeout())
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          Optional<V1PodStatus> status = observe(pod);
          if (status.isPresent()) {
            assertTerminal(status.get(), "getPod(" + what + ") after delete");
          }
        });
  }

  // --- checks

  private static void assertTerminal(V1PodStatus status, String what) {
    assertThat(status).as("%s: status", what).isNotNull();
    assertThat(status.getPhase()).as("%s: phase (status %s)", what, JSON.serialize(status)).isIn(TERMINAL);
    for (V1ContainerStatus container : containers(status)) {
      assertThat(container.getState() == null ? null : container.getState().getTerminated())
          .as("%s: state of container %s in a terminal pod (status %s)", what, container.getName(), JSON.serialize(status))
          .isNotNull();
    }
  }

  private static void assertInOrder(V1Pod pod, List<V1Pod> statuses) {
    String what = ConformancePods.describe(pod);
    assertThat(statuses).as("statuses getPod reported for %s", what).isNotEmpty();
    int rank = -1;
    String terminalPhase = null;
    Map<String, Integer> restarts = new HashMap<>();
    List<String> phases = new ArrayList<>();
    for (V1Pod reported : statuses) {
      String phase = phase(reported.getStatus());
      phases.add(phase);
      if (phase == null) {
        fail("getPod reported %s with a status without phase: %s", what, JSON.serialize(reported.getStatus()));
      }
      Integer phaseRank = PHASE_ORDER.get(phase);
      if (phaseRank == null) {
        continue; // Unknown may come at any time
      }
      if (terminalPhase != null) {
        fail("getPod reported %s %s after the terminal phase %s; phases in order: %s", what, phase, terminalPhase, phases);
      }
      if (phaseRank < rank) {
        fail("%s went back to %s; phases in order: %s", what, phase, phases);
      }
      rank = phaseRank;
      if (TERMINAL.contains(phase)) {
        terminalPhase = phase;
      }
      for (V1ContainerStatus container : containers(reported.getStatus())) {
        int count = container.getRestartCount() == null ? 0 : container.getRestartCount();
        Integer before = restarts.put(container.getName(), count);
        if (before != null && count < before) {
          fail("restartCount of container %s of %s went down from %d to %d", container.getName(), what, before, count);
        }
      }
    }
    assertThat(phases).as("phases notified for %s", what).contains("Running");
  }

  private static boolean isTerminal(V1PodStatus status) {
    if (status == null || !TERMINAL.contains(status.getPhase())) {
      return false;
    }
    return containers(status).stream().allMatch(c -> c.getState() != null && c.getState().getTerminated() != null);
  }

  private static List<V1ContainerStatus> containers(V1PodStatus status) {
    return status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
  }

  private static void waitAll(List<Future<?>> futures, String what) throws Exception {
    List<String> failures = new ArrayList<>();
    for (Future<?> future : futures) {
      try {
        future.get(10, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        failures.add(String.valueOf(e.getCause()));
      }
    }
    assertThat(failures).as("failures while %s", what).isEmpty();
  }

  private static Map<String, V1Pod> byUid(List<V1Pod> pods) {
    Map<String, V1Pod> map = new ConcurrentHashMap<>();
    for (V1Pod pod : pods) {
      if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
        map.put(pod.getMetadata().getUid(), pod);
      }
    }
    return map;
  }

  private static String phase(V1PodStatus status) {
    return status == null ? null : status.getPhase();
  }

  private static String uid(V1Pod pod) {
    return pod.getMetadata().getUid();
  }

  private static String name(V1Pod pod) {
    return pod.getMetadata().getName();
  }

  private static String namespace(V1Pod pod) {
    return pod.getMetadata().getNamespace();
  }
}
