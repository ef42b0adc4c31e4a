package io.vk4j.eci.emulator;

import static io.vk4j.eci.emulator.Requests.container;
import static io.vk4j.eci.emulator.Requests.create;
import static io.vk4j.eci.emulator.Requests.region;
import static io.vk4j.eci.emulator.Requests.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void concurrentClientsGetDistinctGroupsAndAddressesAndRetriesStayIdempotent() throws Exception {
    int threads = 8;
    int perThread = 12;
    try (EciEmulator emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ofMillis(50)).build().start()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          SdkClient.Signature signature = SdkClient.Signature.values()[t % SdkClient.Signature.values().length];
          results.add(pool.submit(() -> {
            SdkClient eci = new SdkClient(emulator, "ak", "sk", signature);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              // every group is created twice with the same token, from two threads at once
              String token = "uid-" + (thread / 2) + "-" + i;
              ids.add((String) eci.call("CreateContainerGroup", with(create("g-" + (thread / 2) + "-" + i, Map.of("t", "x"), container("app", "nginx")), "ClientToken", token)).get("ContainerGroupId"));
              eci.call("DescribeContainerGroups", region("Tag", List.of(Map.of("Key", "t", "Value", "x"))));
            }
            return ids;
          }));
        }
        for (int t = 0; t < threads; t += 2) {
          assertThat(results.get(t).get(120, TimeUnit.SECONDS)).isEqualTo(results.get(t + 1).get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }

      List<ContainerGroupSnapshot> groups = emulator.containerGroups();
      assertThat(groups).hasSize(threads / 2 * perThread);
      assertThat(groups).extracting(g -> g.intranetIp().orElse(g.id())).doesNotHaveDuplicates();
      assertThat(emulator.callCount("CreateContainerGroup")).isEqualTo((long) threads * perThread);
    }
  }
}
