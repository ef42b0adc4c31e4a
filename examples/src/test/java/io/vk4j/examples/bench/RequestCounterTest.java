package io.vk4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

class RequestCounterTest {

  private static String key(String method, String url) {
    return RequestCounter.key(new Request.Builder().url("https://127.0.0.1:6443" + url)
        .method(method, method.equals("GET") || method.equals("DELETE") ? null : RequestBody.create(new byte[0]))
        .build());
  }

  @Test
  void namesVerbAndResource() {
    assertThat(key("PATCH", "/api/v1/namespaces/ns/pods/web/status")).isEqualTo("PATCH pods/status");
    assertThat(key("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/vk-1"))
        .isEqualTo("PUT leases");
    assertThat(key("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dvk-1&watch=true")).isEqualTo("WATCH pods");
    assertThat(key("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dvk-1")).isEqualTo("LIST pods");
    assertThat(key("GET", "/api/v1/namespaces/ns/secrets/token")).isEqualTo("GET secrets");
    assertThat(key("GET", "/api/v1/nodes/vk-1")).isEqualTo("GET nodes");
    assertThat(key("PATCH", "/api/v1/nodes/vk-1/status")).isEqualTo("PATCH nodes/status");
    assertThat(key("POST", "/api/v1/namespaces/ns/events")).isEqualTo("POST events");
    assertThat(key("DELETE", "/api/v1/namespaces/ns/pods/web")).isEqualTo("DELETE pods");
    assertThat(key("GET", "/api/v1/namespaces")).isEqualTo("LIST namespaces");
    assertThat(key("DELETE", "/api/v1/namespaces/ns/pods")).isEqualTo("DELETECOLLECTION pods");
    assertThat(key("GET", "/metrics")).isEqualTo("GET (non-resource)");
  }

  @Test
  void apiServerMetricsUseTheSameKeys() {
    String metrics = String.join("\n",
        "# TYPE apiserver_request_total counter",
        "apiserver_request_total{code=\"200\",component=\"apiserver\",contentType=\"application/json\","
            + "dry_run=\"\",group=\"\",resource=\"pods\",scope=\"resource\",subresource=\"status\","
            + "verb=\"PUT\",version=\"v1\"} 2999",
        "apiserver_request_total{code=\"409\",component=\"apiserver\",contentType=\"application/json\","
            + "dry_run=\"\",group=\"\",resource=\"pods\",scope=\"resource\",subresource=\"status\","
            + "verb=\"PUT\",version=\"v1\"} 1",
        "apiserver_request_total{code=\"200\",component=\"\",contentType=\"text/plain\",dry_run=\"\","
            + "group=\"\",resource=\"\",scope=\"\",subresource=\"/metrics\",verb=\"GET\",version=\"\"} 4",
        "apiserver_request_total{code=\"200\",component=\"apiserver\",contentType=\"application/json\","
            + "dry_run=\"\",group=\"coordination.k8s.io\",resource=\"leases\",scope=\"resource\","
            + "subresource=\"\",verb=\"PUT\",version=\"v1\"} 1.2e+03",
        "apiserver_request_duration_seconds_bucket{le=\"0.05\",resource=\"pods\",verb=\"PUT\"} 7");

    assertThat(ApiServerRequests.parse(metrics)).containsExactly(
        Map.entry("GET (non-resource)", 4L), Map.entry("PUT leases", 1200L), Map.entry("PUT pods/status", 3000L));
  }

  @Test
  void differenceAndTotals() {
    Map<String, Long> before = Map.of("PATCH pods/status", 2L, "PUT leases", 1L);
    Map<String, Long> after = Map.of("PATCH pods/status", 5L, "PUT leases", 1L, "GET secrets", 4L);

    Map<String, Long> delta = RequestCounter.difference(after, before);

    assertThat(delta).containsExactly(Map.entry("GET secrets", 4L), Map.entry("PATCH pods/status", 3L));
    assertThat(RequestCounter.total(delta, RequestCounter::isWrite)).isEqualTo(3);
    assertThat(RequestCounter.total(delta, k -> RequestCounter.isPod(k) && RequestCounter.isWrite(k))).isEqualTo(3);
  }
}
