package io.vk4j.webhook;

import io.vk4j.server.KeyMaterial;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server side of {@link AdmissionBenchmark}, in a process of its own so that the client's
 * threads and garbage do not land in the measured JVM: issues a certificate, writes the CA to
 * {@code args[0]}, serves on one worker and prints {@code PORT <n>}; when stdin closes, prints
 * {@code GC <collections> <milliseconds>} and exits.
 */
final class AdmissionBenchmarkServer {

  private AdmissionBenchmarkServer() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    SelfSignedCertificates.Issued certificates =
        SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of("127.0.0.1"));
    Files.writeString(Path.of(args[0]), KeyMaterial.pem(certificates.ca()), StandardCharsets.US_ASCII);
    AdmissionController controller = new AdmissionController(AffinityConfig::defaults,
        NamespaceLabels.fixed(Map.of("default", Map.of("kubernetes.io/metadata.name", "default"))));
    try (WebhookServer server = new WebhookServer(
        ServerOptions.builder().bindAddress("127.0.0.1").port(0).workers(1).queueCapacity(10_000).build(),
        new ReloadingKeyManager(certificates.serving()), controller, () -> true)) {
      server.start();
      System.out.println("PORT " + server.port());
      System.out.flush();
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Hiccups hiccups = null;
      for (String command = commands.readLine(); command != null; command = commands.readLine()) {
        if (command.equals("start")) {
          hiccups = new Hiccups().start();
        } else if (command.equals("stop") && hiccups != null) {
          System.out.println("HICCUPS " + hiccups.stop());
          System.out.flush();
        }
      }
    }
    long collections = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    System.out.println("GC " + collections + " " + millis);
  }
}
