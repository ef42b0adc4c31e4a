package io.vk4j.runtime.internal.pod;

import com.google.gson.Gson;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.runtime.internal.client.ApiCalls;
import io.vk4j.runtime.json.LeanJson;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Not a test: the CPU one copy, read or write of a pod, or building one request with it, costs, in a
 * JVM with the node's JIT options (docs/benchmark.md, findings 16, 17 and 20). One case per JVM, so
 * that no case warms another's code:
 *
 * <pre>
 * mvn -q -pl examples -am package -DskipTests
 * for c in json-copy field-copy read read-client-quantities write write-client-quantities \
 *     put-client-java put-lean post-client-java post-lean resource-version; do
 *   java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
 *     -cp vk-runtime/target/test-classes:vk-runtime/target/classes:examples/target/vk4j-virtual-node.jar \
 *     io.vk4j.runtime.internal.pod.PodJsonCost $c 20000
 * done
 * </pre>
 */
final class PodJsonCost {
  /** A bound pod as the API server has it once it runs: one container with requests and limits. */
  private static final String POD = """
      {"kind":"Pod","apiVersion":"v1","metadata":{"name":"bench-0001","namespace":"bench",
       "uid":"3f0c1a7e-8a2b-4c55-9a1e-0d3b6a1f2c44","resourceVersion":"123456","creationTimestamp":"2026-12-01T22:43:01Z",
       "labels":{"app":"bench"}},"spec":{"containers":[{"name":"app","image":"registry.example/app:1.0",
       "resources":{"limits":{"cpu":"100m","memory":"64Mi"},"requests":{"cpu":"100m","memory":"64Mi"}},
       "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],
       "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","nodeName":"vk",
       "securityContext":{},"schedulerName":"default-scheduler","tolerations":[{"key":"virtual-kubelet.io/provider",
       "operator":"Exists","effect":"NoSchedule"},{"key":"node.kubernetes.io/not-ready","operator":"Exists",
       "effect":"NoExecute","tolerationSeconds":300}],"priority":0,"enableServiceLinks":true},
       "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastProbeTime":null,
       "lastTransitionTime":"2026-12-01T22:43:02Z"},{"type":"PodScheduled","status":"True","lastProbeTime":null,
       "lastTransitionTime":"2026-12-01T22:43:01Z"}],"hostIP":"10.0.0.1","podIP":"10.1.2.3","podIPs":[{"ip":"10.1.2.3"}],
       "startTime":"2026-12-01T22:43:02Z","containerStatuses":[{"name":"app","state":{"running":
       {"startedAt":"2026-12-01T22:43:02Z"}},"lastState":{},"ready":true,"restartCount":0,
       "image":"registry.example/app:1.0","imageID":"fake://registry.example/app:1.0","containerID":"fake://app",
       "started":true}],"qosClass":"Guaranteed"}}
      """;

  /** Keeps each result reachable, so that no work is optimized away. */
  private static volatile Object sink;

  private PodJsonCost() {}

  public static void main(String[] args) throws ApiException {
    String operation = args[0];
    int times = Integer.parseInt(args[1]);
    LeanJson.install();
    Gson lean = JSON.getGson();
    Gson clientQuantities = lean.newBuilder()
        .registerTypeAdapter(Quantity.class, new Quantity.QuantityAdapter().nullSafe()).create();
    V1Pod pod = lean.fromJson(POD, V1Pod.class);
    ApiClient client = new ApiClient().setBasePath("https://127.0.0.1:6443"); // building only: no request is sent
    client.setApiKeyPrefix("Bearer");
    client.setApiKey("token");
    CoreV1Api core = new CoreV1Api(client);
    ApiCalls calls = new ApiCalls(client);
    byte[] event = lean.toJson(pod.getMetadata()).getBytes(StandardCharsets.UTF_8); // about an Event's size
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < times; i++) {
      sink = switch (operation) {
        case "json-copy" -> lean.fromJson(lean.toJson(pod), V1Pod.class); // what Pods.copy did
        case "field-copy" -> ModelCopy.of(pod);
        case "read" -> lean.fromJson(POD, V1Pod.class);
        case "read-client-quantities" -> clientQuantities.fromJson(POD, V1Pod.class);
        case "write" -> lean.toJson(pod);
        case "write-client-quantities" -> clientQuantities.toJson(pod);
        case "put-client-java" -> core.replaceNamespacedPodStatus("bench-0001", "bench", pod).buildCall(null);
        case "put-lean" -> calls.call("PUT", lean.toJson(pod).getBytes(StandardCharsets.UTF_8),
            "api", "v1", "namespaces", "bench", "pods", "bench-0001", "status");
        case "post-client-java" -> client.buildCall(null, "/api/v1/namespaces/bench/events", "POST", new ArrayList<>(),
            new ArrayList<>(), event, new HashMap<>(Map.of("Accept", "application/json", "Content-Type",
                "application/json")), new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
        case "post-lean" -> calls.call("POST", event, "api", "v1", "namespaces", "bench", "events");
        case "resource-version" -> ApiCalls.resourceVersionOf(POD);
        default -> throw new IllegalArgumentException("unknown operation " + operation);
      };
    }
    long cpu = threads.getCurrentThreadCpuTime() - start;
    System.out.printf("%s: %d times, %.1f us of CPU each (pod JSON %d bytes)%n", operation, times,
        cpu / 1e3 / times, POD.getBytes(StandardCharsets.UTF_8).length);
  }
}
