package io.vk4j.testkit.conformance;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.PodNotifier;
import io.vk4j.api.PodStatusListener;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest provider that keeps the contract: pods run as soon as they are created and vanish
 * when deleted. Each {@link Flaw} breaks one rule, to prove the kit notices.
 */
class MapProvider implements Provider {
  enum Flaw {
    /** deletePod of an unknown pod throws a plain provider error. */
    DELETE_OF_UNKNOWN_FAILS,
    /** a retried create of the same UID makes a second pod. */
    DUPLICATES_ON_RETRY,
    /** deletePod does nothing: the pod keeps running. */
    IGNORES_DELETE,
    /** the status handed out is changed in place on delete. */
    MUTATES_STATUS,
    /** pods never leave Pending. */
    NEVER_RUNS,
    /** updatePod does nothing, without saying it cannot. */
    IGNORES_UPDATE,
    /** a deleted pod goes back to Pending for a few reads before it is gone. */
    REGRESSES,
    /** a notifier that does not signal the end of a deleted pod. */
    SILENT_ON_DELETE
  }

  private final Set<Flaw> flaws;
  private final Map<String, V1Pod> pods = new ConcurrentHashMap<>();
  private final List<V1Pod> duplicates = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> regressingReads = new ConcurrentHashMap<>();

  MapProvider(Flaw... flaws) {
    this.flaws = flaws.length == 0 ? EnumSet.noneOf(Flaw.class) : EnumSet.of(flaws[0], flaws);
  }

  protected void changed(V1Pod pod) {}

  protected boolean has(Flaw flaw) {
    return flaws.contains(flaw);
  }

  @Override
  public void createPod(V1Pod pod) {
    String key = key(pod);
    if (pods.containsKey(key)) {
      if (flaws.contains(Flaw.DUPLICATES_ON_RETRY)) {
        duplicates.add(pod);
      }
      return;
    }
    String phase = flaws.contains(Flaw.NEVER_RUNS) ? "Pending" : "Running";
    pod.setStatus(new V1PodStatus().phase(phase).containerStatuses(List.of(new V1ContainerStatus()
        .name("main").image("busybox:1.36").imageID("").ready(true).restartCount(0).state(new V1ContainerState().running(new V1ContainerStateRunning())))));
    pods.put(key, pod);
    changed(pod);
  }

  @Override
  public void updatePod(V1Pod pod) {
    if (flaws.contains(Flaw.IGNORES_UPDATE)) {
      return;
    }
    pods.computeIfPresent(key(pod), (key, old) -> {
      pod.setStatus(old.getStatus());
      return pod;
    });
  }

  @Override
  public void deletePod(V1Pod pod) throws ProviderException {
    V1Pod known = pods.get(key(pod));
    if (known == null && flaws.contains(Flaw.DELETE_OF_UNKNOWN_FAILS)) {
      throw new ProviderException("Boom", "no such pod");
    }
    if (known == null || flaws.contains(Flaw.IGNORES_DELETE)) {
      return;
    }
    if (flaws.contains(Flaw.REGRESSES)) {
      V1Pod again = ConformancePods.copy(known);
      again.getStatus().setPhase("Pending");
      pods.put(key(pod), again);
      regressingReads.put(key(pod), 2);
      return;
    }
    if (flaws.contains(Flaw.MUTATES_STATUS)) {
      known.getStatus().setPhase("Succeeded");
      known.getStatus().setContainerStatuses(List.of());
      return;
    }
    pods.remove(key(pod));
    V1Pod ended = ConformancePods.copy(known);
    ended.setStatus(new V1PodStatus().phase("Succeeded"));
    changed(ended);
  }

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    return Optional.ofNullable(read(namespace + "/" + name));
  }

  /** The pod of {@code key}; a regressing pod is gone after a few reads, and its end notified. */
  private V1Pod read(String key) {
    Integer left = regressingReads.computeIfPresent(key, (k, n) -> n - 1);
    if (left != null && left <= 0) {
      regressingReads.remove(key);
      V1Pod gone = pods.remove(key);
      if (gone != null) {
        V1Pod ended = ConformancePods.copy(gone);
        ended.setStatus(new V1PodStatus().phase("Succeeded"));
        changed(ended);
      }
    }
    return pods.get(key);
  }

  @Override
  public List<V1Pod> listPods() {
    List<V1Pod> all = new ArrayList<>();
    for (String key : List.copyOf(pods.keySet())) {
      V1Pod pod = read(key);
      if (pod != null) {
        all.add(pod);
      }
    }
    all.addAll(duplicates);
    return all;
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** The same, signalling its changes. */
  static class Notifying extends MapProvider implements PodNotifier {
    private PodStatusListener listener;

    Notifying(Flaw... flaws) {
      super(flaws);
    }

    @Override
    public void notifyPods(PodStatusListener listener) {
      this.listener = listener;
    }

    @Override
    protected void changed(V1Pod pod) {
      if (has(Flaw.SILENT_ON_DELETE) && "Succeeded".equals(pod.getStatus().getPhase())) {
        return;
      }
      listener.podStatusChanged(pod);
    }
  }
}
