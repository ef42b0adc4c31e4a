package io.vk4j.runtime.internal.env;

import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables a kubelet gives containers for Services: {@code NAME_SERVICE_HOST},
 * {@code NAME_SERVICE_PORT}, {@code NAME_SERVICE_PORT_PORTNAME} and the Docker-link style
 * {@code NAME_PORT}, {@code NAME_PORT_80_TCP}, {@code ..._PROTO}, {@code ..._PORT}, {@code ..._ADDR}.
 */
final class ServiceLinks {
  private ServiceLinks() {}

  /** Variables for {@code services}, in order; Services without a cluster IP are skipped. */
  static Map<String, String> variables(List<V1Service> services) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (V1Service service : services) {
      if (service.getSpec() == null || service.getMetadata() == null) {
        continue;
      }
      String ip = service.getSpec().getClusterIP();
      if (ip == null || ip.isEmpty() || "None".equals(ip)) {
        continue;
      }
      List<V1ServicePort> ports = service.getSpec().getPorts();
      if (ports == null || ports.isEmpty()) {
        continue;
      }
      String prefix = envName(service.getMetadata().getName());
      vars.put(prefix + "_SERVICE_HOST", ip);
      vars.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).getPort()));
      for (V1ServicePort port : ports) {
        if (port.getName() != null && !port.getName().isEmpty()) {
          vars.put(prefix + "_SERVICE_PORT_" + envName(port.getName()), String.valueOf(port.getPort()));
        }
      }
      V1ServicePort first = ports.get(0);
      vars.put(prefix + "_PORT", protocol(first).toLowerCase(Locale.ROOT) + "://" + ip + ":" + first.getPort());
      for (V1ServicePort port : ports) {
        String protocol = protocol(port);
        String base = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
        vars.put(base, protocol.toLowerCase(Locale.ROOT) + "://" + ip + ":" + port.getPort());
        vars.put(base + "_PROTO", protocol.toLowerCase(Locale.ROOT));
        vars.put(base + "_PORT", String.valueOf(port.getPort()));
        vars.put(base + "_ADDR", ip);
      }
    }
    return vars;
  }

  private static String protocol(V1ServicePort port) {
    return port.getProtocol() == null ? "TCP" : port.getProtocol();
  }

  private static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
