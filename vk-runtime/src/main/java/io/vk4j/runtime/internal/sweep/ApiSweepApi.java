package io.vk4j.runtime.internal.sweep;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.vk4j.runtime.internal.client.ApiErrors;
import io.vk4j.runtime.internal.client.Deletes;
import io.vk4j.runtime.internal.queue.TokenBucket;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SweepApi} on a real API server; every write takes a token of the node's write budget. */
public final class ApiSweepApi implements SweepApi {
  private static final Logger log = LoggerFactory.getLogger(ApiSweepApi.class);
  private static final int PAGE = 500;

  private final CoreV1Api core;
  private final CoordinationV1Api coordination;
  private final AppsV1Api apps;
  private final TokenBucket writes;
  private final String component;
  private final String host;

  /** @param host the node the Events say they come from */
  public ApiSweepApi(ApiClient client, TokenBucket writes, String host) {
    this.core = new CoreV1Api(client);
    this.coordination = new CoordinationV1Api(client);
    this.apps = new AppsV1Api(client);
    this.writes = writes;
    this.component = "vk4j";
    this.host = host;
  }

  @Override
  public List<V1Node> listNodes() throws ApiException {
    List<V1Node> nodes = new ArrayList<>();
    String token = null;
    do {
      V1NodeList page = core.listNode().limit(PAGE)._continue(token).execute();
      nodes.addAll(page.getItems());
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return nodes;
  }

  @Override
  public Optional<V1Lease> readLease(String namespace, String name) throws ApiException {
    return ApiErrors.absentOn404(() -> coordination.readNamespacedLease(name, namespace).execute());
  }

  @Override
  public V1Lease createLease(V1Lease lease) throws ApiException {
    acquire();
    return coordination.createNamespacedLease(lease.getMetadata().getNamespace(), lease).execute();
  }

  @Override
  public V1Lease replaceLease(V1Lease lease) throws ApiException {
    acquire();
    return coordination.replaceNamespacedLease(lease.getMetadata().getName(), lease.getMetadata().getNamespace(),
        lease).execute();
  }

  @Override
  public Optional<V1Pod> readPod(String namespace, String name) throws ApiException {
    return ApiErrors.absentOn404(() -> core.readNamespacedPod(name, namespace).execute());
  }

  @Override
  public List<V1Pod> podsOn(String nodeName) throws ApiException {
    List<V1Pod> pods = new ArrayList<>();
    String token = null;
    do {
      V1PodList page = core.listPodForAllNamespaces().fieldSelector("spec.nodeName=" + nodeName).limit(PAGE)
          ._continue(token).execute();
      pods.addAll(page.getItems());
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return pods;
  }

  @Override
  public void deletePod(V1Pod pod, Optional<Long> gracePeriodSeconds) throws ApiException {
    acquire();
    V1DeleteOptions options = new V1DeleteOptions().preconditions(new V1Preconditions().uid(pod.getMetadata().getUid()));
    gracePeriodSeconds.ifPresent(options::gracePeriodSeconds);
    Deletes.send(core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).body(options)
        .buildCall(null));
  }

  @Override
  public void cordon(V1Node node) throws ApiException {
    acquire();
    io.kubernetes.client.util.PatchUtils.patch(V1Node.class, () -> core.patchNode(node.getMetadata().getName(),
        new io.kubernetes.client.custom.V1Patch("{\"spec\":{\"unschedulable\":true}}")).buildCall(null),
        io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, core.getApiClient());
  }

  @Override
  public void deleteNode(V1Node node) throws ApiException {
    acquire();
    Deletes.send(core.deleteNode(node.getMetadata().getName())
        .body(new V1DeleteOptions().preconditions(new V1Preconditions().uid(node.getMetadata().getUid())))
        .buildCall(null));
  }

  @Override
  public OptionalInt statefulSetReplicas(String namespace, String name) throws ApiException {
    Optional<V1StatefulSet> set = ApiErrors.absentOn404(() -> apps.readNamespacedStatefulSet(name, namespace).execute());
    if (set.isEmpty() || set.get().getMetadata().getDeletionTimestamp() != null) {
      return OptionalInt.empty();
    }
    Integer replicas = set.get().getSpec() == null ? null : set.get().getSpec().getReplicas();
    return OptionalInt.of(replicas == null ? 1 : replicas);
  }

  @Override
  public void nodeEvent(V1Node node, String type, String reason, String message) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    CoreV1Event event = new CoreV1Event()
        .metadata(new V1ObjectMeta().generateName(node.getMetadata().getName() + ".").namespace("default"))
        .involvedObject(new V1ObjectReference().kind("Node").apiVersion("v1").name(node.getMetadata().getName())
            .uid(node.getMetadata().getName()))
        .type(type).reason(reason).message(message).count(1).firstTimestamp(now).lastTimestamp(now)
        .source(new V1EventSource().component(component).host(host));
    try {
      acquire();
      core.createNamespacedEvent("default", event).execute();
    } catch (ApiException e) {
      log.warn("could not record event {} on node {}: {}", reason, node.getMetadata().getName(), ApiErrors.describe(e));
    }
  }

  private void acquire() throws ApiException {
    try {
      writes.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(e);
    }
  }
}
