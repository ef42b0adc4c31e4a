package io.vk4j.eci.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: measures the emulator through the real SDK at the scale of one virtual node (3,000 groups).
 * Run: {@code java -cp <test classpath> io.vk4j.eci.emulator.EmulatorBenchmark [groups] [threads]}.
 */
public final class EmulatorBenchmark {

  private EmulatorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int groups = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    try (EciEmulator emulator = EciEmulator.builder().credentials("ak", "sk").groupTransitionDelay(Duration.ofMillis(300)).build().start()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          SdkClient eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
          for (int i = thread; i < groups; i += threads) {
            eci.call("CreateContainerGroup", Requests.with(Requests.create("pod-" + i, Map.of("node", "vk-1", "cluster", "c1"),
                Requests.container("app", "nginx")), "ClientToken", "uid-" + i));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      double createSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("created %d groups with %d threads in %.1f s: %.0f creates/s%n", groups, threads, createSeconds, groups / createSeconds);

      SdkClient eci = new SdkClient(emulator, "ak", "sk", SdkClient.Signature.V1_HMAC_SHA1_FORM_BODY);
      Thread.sleep(1000);
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        int calls = 0;
        int seen = 0;
        String token = "";
        do {
          Map<String, Object> params = Requests.region("Tag", List.of(Map.of("Key", "node", "Value", "vk-1")), "Limit", 200);
          if (!token.isEmpty()) {
            params.put("NextToken", token);
          }
          Map<String, Object> body = eci.call("DescribeContainerGroupStatus", params);
          seen += ((List<?>) body.get("Data")).size();
          token = (String) body.get("NextToken");
          calls++;
        } while (!token.isEmpty());
        System.out.printf("full status sync (tag filter, Limit 200): %d groups in %d calls, %.0f ms%n", seen, calls, (System.nanoTime() - t0) / 1e6);
      }
      long t1 = System.nanoTime();
      Map<String, Object> changed = eci.call("DescribeContainerGroupStatus", Requests.region("SinceSecond", 1, "Limit", 200));
      System.out.printf("incremental sync (SinceSecond=1): %d groups changed, one call, %.0f ms%n", ((List<?>) changed.get("Data")).size(), (System.nanoTime() - t1) / 1e6);
      long t2 = System.nanoTime();
      int describes = 0;
      for (int i = 0; i < 20; i++) {
        eci.call("DescribeContainerGroups", Requests.region("Tag", List.of(Map.of("Key", "node", "Value", "vk-1")), "Limit", 20));
        describes++;
      }
      System.out.printf("DescribeContainerGroups (20 groups a page, %d groups held): %.1f ms a call%n", groups, (System.nanoTime() - t2) / 1e6 / describes);
      System.out.println("calls per action: " + emulator.callCounts());
    }
  }
}
