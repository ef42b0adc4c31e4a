package io.vk4j.provider.fake;

import io.vk4j.api.BackendPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where in-memory pods run, as a cloud account holds the pods of every node of a cluster: the
 * providers of one JVM that {@link FakeProviderFactory} creates share {@link #jvm()}, so the runtime's
 * cluster sweep ({@link io.vk4j.api.ClusterPods}) is tested without a cloud. The pods of a provider
 * that was closed stay here, like containers whose controller died, until the sweep deletes them or
 * a provider for the same node starts (in memory they cannot be adopted: they end with it).
 */
public final class FakeBackend {
  private static final FakeBackend JVM = new FakeBackend();

  private record Entry(BackendPod pod, FakeProvider owner) {}

  private final Map<String, Entry> pods = new ConcurrentHashMap<>();

  /** The backend the providers of {@link FakeProviderFactory} share in this JVM. */
  public static FakeBackend jvm() {
    return JVM;
  }

  /** Every pod held, of every node. */
  public List<BackendPod> pods() {
    List<BackendPod> all = new ArrayList<>();
    pods.values().forEach(entry -> all.add(entry.pod()));
    return all;
  }

  void add(FakeProvider owner, String nodeName, String namespace, String name, String uid, Instant created) {
    pods.put(uid, new Entry(BackendPod.builder().id("fake-" + uid).nodeName(nodeName).namespace(namespace)
        .name(name).uid(uid).creationTime(created).build(), owner));
  }

  void remove(String uid) {
    pods.remove(uid);
  }

  /** Deletes a pod of any node: through its provider while that runs, else at once. */
  void delete(BackendPod pod) throws io.vk4j.api.ProviderException {
    Entry entry = pods.get(pod.uid());
    if (entry == null) {
      return;
    }
    if (entry.owner().isOpen()) {
      entry.owner().deleteInBackend(pod);
    } else {
      pods.remove(pod.uid(), entry);
    }
  }

  /** A provider for {@code nodeName} starts: what closed providers of that node left ends here. */
  void takeOver(String nodeName, FakeProvider successor) {
    pods.values().removeIf(entry -> entry.owner() != successor && !entry.owner().isOpen()
        && entry.pod().nodeName().equals(nodeName));
  }
}
