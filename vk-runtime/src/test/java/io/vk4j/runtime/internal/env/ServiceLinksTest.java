package io.vk4j.runtime.internal.env;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceLinksTest {

  static V1Service service(String name, String ip, V1ServicePort... ports) {
    return new V1Service().metadata(new V1ObjectMeta().name(name))
        .spec(new V1ServiceSpec().clusterIP(ip).ports(List.of(ports)));
  }

  @Test
  void kubeletStyleVariables() {
    Map<String, String> vars = ServiceLinks.variables(List.of(service("redis-master", "10.0.0.11",
        new V1ServicePort().name("redis").port(6379).protocol("TCP"),
        new V1ServicePort().name("metrics").port(9121).protocol("UDP"))));
    assertThat(vars).containsEntry("REDIS_MASTER_SERVICE_HOST", "10.0.0.11")
        .containsEntry("REDIS_MASTER_SERVICE_PORT", "6379")
        .containsEntry("REDIS_MASTER_SERVICE_PORT_REDIS", "6379")
        .containsEntry("REDIS_MASTER_SERVICE_PORT_METRICS", "9121")
        .containsEntry("REDIS_MASTER_PORT", "tcp://10.0.0.11:6379")
        .containsEntry("REDIS_MASTER_PORT_6379_TCP", "tcp://10.0.0.11:6379")
        .containsEntry("REDIS_MASTER_PORT_6379_TCP_PROTO", "tcp")
        .containsEntry("REDIS_MASTER_PORT_6379_TCP_PORT", "6379")
        .containsEntry("REDIS_MASTER_PORT_6379_TCP_ADDR", "10.0.0.11")
        .containsEntry("REDIS_MASTER_PORT_9121_UDP", "udp://10.0.0.11:9121");
  }

  @Test
  void headlessServicesAreSkipped() {
    assertThat(ServiceLinks.variables(List.of(service("headless", "None", new V1ServicePort().port(80)))))
        .isEmpty();
  }
}
