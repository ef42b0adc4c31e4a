package io.vk4j.runtime.internal.pod;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod statuses as the runtime writes them: merging the provider's status into the API server's,
 * comparing statuses semantically, and building the statuses of pods the provider cannot run.
 */
final class PodStatuses {
  private PodStatuses() {}

  /**
   * The status to write: the provider's phase, reason, message and container statuses; its
   * conditions replace those of the same type; addresses and QoS class come from the provider when
   * it has them and stay as they are otherwise. As a kubelet keeps them: the start time once set,
   * and restart counts that never go down and count a container instance the provider replaced
   * without knowing it (for example a pod it created again after it lost it).
   */
  static V1PodStatus merge(V1PodStatus api, V1PodStatus provider) {
    V1PodStatus current = api == null ? new V1PodStatus() : api;
    V1PodStatus merged = ModelCopy.of(current);
    merged.setPhase(provider.getPhase() != null ? provider.getPhase() : current.getPhase());
    merged.setReason(provider.getReason());
    merged.setMessage(provider.getMessage());
    merged.setContainerStatuses(mergeContainers(current.getContainerStatuses(), provider.getContainerStatuses()));
    merged.setInitContainerStatuses(
        mergeContainers(current.getInitContainerStatuses(), provider.getInitContainerStatuses()));
    if (provider.getHostIP() != null) {
      merged.setHostIP(provider.getHostIP());
    }
    if (provider.getPodIP() != null) {
      merged.setPodIP(provider.getPodIP());
      merged.setPodIPs(provider.getPodIPs());
    }
    if (current.getStartTime() == null) {
      merged.setStartTime(provider.getStartTime());
    }
    if (provider.getQosClass() != null) {
      merged.setQosClass(provider.getQosClass());
    }
    if (provider.getConditions() != null) {
      Map<String, V1PodCondition> byType = new LinkedHashMap<>();
      if (current.getConditions() != null) {
        current.getConditions().forEach(c -> byType.put(c.getType(), c));
      }
      for (V1PodCondition condition : provider.getConditions()) {
        V1PodCondition old = byType.get(condition.getType());
        // keep the API server's transition time when nothing changed, to avoid timestamp churn
        if (old != null && sameCondition(old, condition)) {
          continue;
        }
        byType.put(condition.getType(), condition);
      }
      merged.setConditions(new ArrayList<>(byType.values()));
    }
    // shares parts with both statuses, which are never changed afterwards (the provider's by the
    // SPI, the API server's by the watch cache), and is itself only written and compared
    return merged;
  }

  private static List<V1ContainerStatus> mergeContainers(List<V1ContainerStatus> api, List<V1ContainerStatus> provider) {
    if (provider == null || api == null) {
      return provider;
    }
    Map<String, V1ContainerStatus> written = new HashMap<>();
    api.forEach(s -> written.put(s.getName(), s));
    List<V1ContainerStatus> merged = new ArrayList<>();
    for (V1ContainerStatus reported : provider) {
      V1ContainerStatus before = written.get(reported.getName());
      if (before == null) {
        merged.add(reported);
        continue;
      }
      V1ContainerStatus status = ModelCopy.of(reported);
      int restarts = Math.max(count(reported), count(before));
      String shown = instance(before.getState());
      boolean unknownToProvider = shown != null && !shown.equals(instance(reported.getState()))
          && !shown.equals(instance(reported.getLastState()));
      if (unknownToProvider) {
        // the instance the API server shows ended without the provider counting it
        restarts = Math.max(count(reported), count(before) + 1);
        if (isEmpty(reported.getLastState())) {
          status.setLastState(new V1ContainerState().terminated(ended(before)));
        }
      } else if (isEmpty(reported.getLastState()) && !isEmpty(before.getLastState())) {
        status.setLastState(before.getLastState());
      }
      status.setRestartCount(restarts);
      merged.add(status);
    }
    return merged;
  }

  /** The instance the API server shows, as it ended: as it was when terminated, unknown when running. */
  private static V1ContainerStateTerminated ended(V1ContainerStatus shown) {
    if (shown.getState().getTerminated() != null) {
      return shown.getState().getTerminated();
    }
    return new V1ContainerStateTerminated().exitCode(137).reason("ContainerStatusUnknown")
        .message("The container could not be located when the pod was created again by the provider")
        .startedAt(shown.getState().getRunning() == null ? null : shown.getState().getRunning().getStartedAt())
        .containerID(shown.getContainerID());
  }

  /**
   * Which instance of a container a state describes (its start, to the second, which is all the
   * API server keeps), or {@code null} when no instance runs or ran.
   */
  static String instance(V1ContainerState state) {
    if (state == null) {
      return null;
    }
    if (state.getRunning() != null) {
      return "started " + seconds(state.getRunning().getStartedAt());
    }
    if (state.getTerminated() != null) {
      V1ContainerStateTerminated terminated = state.getTerminated();
      return terminated.getStartedAt() != null ? "started " + seconds(terminated.getStartedAt())
          : "id " + terminated.getContainerID();
    }
    return null;
  }

  private static String seconds(OffsetDateTime time) {
    return time == null ? "?" : String.valueOf(time.toEpochSecond());
  }

  private static int count(V1ContainerStatus status) {
    return status.getRestartCount() == null ? 0 : status.getRestartCount();
  }

  private static boolean isEmpty(V1ContainerState state) {
    return state == null || (state.getRunning() == null && state.getTerminated() == null && state.getWaiting() == null);
  }

  private static boolean sameCondition(V1PodCondition a, V1PodCondition b) {
    return java.util.Objects.equals(a.getStatus(), b.getStatus())
        && java.util.Objects.equals(a.getReason(), b.getReason())
        && java.util.Objects.equals(a.getMessage(), b.getMessage());
  }

  /**
   * Whether two statuses say the same: timestamps are compared to the second (the API server
   * keeps no more), probe times are ignored, and lists are compared regardless of order.
   */
  static boolean same(V1PodStatus a, V1PodStatus b) {
    if (java.util.Objects.equals(a, b)) {
      return true;
    }
    // canonical forms keep these strings as they are: when they differ, the forms do (and a write
    // of a new phase, the usual case, costs no trees)
    if (a != null && b != null && !(java.util.Objects.equals(a.getPhase(), b.getPhase())
        && java.util.Objects.equals(a.getReason(), b.getReason())
        && java.util.Objects.equals(a.getMessage(), b.getMessage()))) {
      return false;
    }
    return canonical(a).equals(canonical(b));
  }

  static JsonElement canonical(V1PodStatus status) {
    return status == null ? new JsonObject() : normalize(canonicalMapper().toJsonTree(status));
  }

  /** The JSON mapper of the moment, with times written as their epoch second: compared as written. */
  private static Gson canonicalMapper() {
    Gson base = JSON.getGson();
    CanonicalMapper mapper = canonicalMapper;
    if (mapper == null || mapper.base() != base) {
      mapper = new CanonicalMapper(base,
          base.newBuilder().registerTypeAdapter(OffsetDateTime.class, EPOCH_SECONDS).create());
      canonicalMapper = mapper;
    }
    return mapper.canonical();
  }

  private record CanonicalMapper(Gson base, Gson canonical) {}

  private static volatile CanonicalMapper canonicalMapper;

  /** Write-only: reading falls through to the base mapper's adapter, which canonical trees never need. */
  private static final JsonSerializer<OffsetDateTime> EPOCH_SECONDS =
      (time, type, context) -> new JsonPrimitive(time.toEpochSecond());

  /** Without probe times and empty values, arrays in a stable order (objects compare unordered). */
  private static JsonElement normalize(JsonElement element) {
    if (element.isJsonObject()) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, JsonElement> member : element.getAsJsonObject().entrySet()) {
        if (!member.getKey().equals("lastProbeTime")) {
          JsonElement value = normalize(member.getValue());
          if (!isEmpty(value)) {
            out.add(member.getKey(), value);
          }
        }
      }
      return out;
    }
    if (element.isJsonArray()) {
      List<JsonElement> items = new ArrayList<>();
      for (JsonElement item : element.getAsJsonArray()) {
        items.add(normalize(item));
      }
      items.sort(Comparator.comparing(PodStatuses::sortKey));
      JsonArray out = new JsonArray(items.size());
      for (JsonElement item : items) {
        out.add(item);
      }
      return out;
    }
    return element;
  }

  private static boolean isEmpty(JsonElement value) {
    return value.isJsonNull()
        || (value.isJsonArray() && value.getAsJsonArray().isEmpty())
        || (value.isJsonObject() && value.getAsJsonObject().isEmpty());
  }

  private static String sortKey(JsonElement item) {
    if (item.isJsonObject()) {
      JsonObject o = item.getAsJsonObject();
      for (String k : List.of("type", "name", "ip")) {
        if (o.has(k) && o.get(k).isJsonPrimitive()) {
          return o.get(k).getAsString();
        }
      }
    }
    return item.toString();
  }

  /**
   * The status of a pod the provider cannot run (yet): {@code phase} with the reason and message,
   * every container waiting (Pending) or terminated (Failed) for that reason.
   */
  static V1PodStatus problem(V1Pod pod, String phase, String reason, String message, int exitCode,
      OffsetDateTime now) {
    V1PodStatus status = ModelCopy.of(pod.getStatus() == null ? new V1PodStatus() : pod.getStatus());
    status.setPhase(phase);
    status.setReason(reason);
    status.setMessage(message);
    boolean failed = "Failed".equals(phase);
    status.setContainerStatuses(containerStatuses(pod.getSpec().getContainers(), failed, reason, message, exitCode, now));
    if (pod.getSpec().getInitContainers() != null && !pod.getSpec().getInitContainers().isEmpty()) {
      status.setInitContainerStatuses(
          containerStatuses(pod.getSpec().getInitContainers(), failed, reason, message, exitCode, now));
    }
    if (failed) {
      status.setConditions(markNotReady(status.getConditions(), reason, message, now));
    }
    return status;
  }

  private static List<V1ContainerStatus> containerStatuses(List<V1Container> containers, boolean failed,
      String reason, String message, int exitCode, OffsetDateTime now) {
    List<V1ContainerStatus> statuses = new ArrayList<>();
    for (V1Container container : containers) {
      V1ContainerState state = failed
          ? new V1ContainerState().terminated(new V1ContainerStateTerminated()
              .exitCode(exitCode).reason(reason).message(message).finishedAt(now))
          : new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason).message(message));
      statuses.add(new V1ContainerStatus()
          .name(container.getName())
          .image(container.getImage() == null ? "" : container.getImage())
          .imageID("")
          .ready(false)
          .restartCount(0)
          .state(state));
    }
    return statuses;
  }

  private static List<V1PodCondition> markNotReady(List<V1PodCondition> conditions, String reason, String message,
      OffsetDateTime now) {
    List<V1PodCondition> out = new ArrayList<>();
    if (conditions != null) {
      for (V1PodCondition c : conditions) {
        if ((c.getType().equals("Ready") || c.getType().equals("ContainersReady")) && "True".equals(c.getStatus())) {
          out.add(new V1PodCondition().type(c.getType()).status("False").reason(reason).message(message)
              .lastTransitionTime(now));
        } else {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** A status that only reports progress towards running: worth writing only if it lasts. */
  static boolean isProgressOnly(V1PodStatus status) {
    return "Pending".equals(status.getPhase()) && status.getReason() == null;
  }
}
