package io.vk4j.webhook;

import io.vk4j.testkit.tls.TestTls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * The client side of {@link AdmissionBenchmark}, in a process of its own: sends one AdmissionReview
 * over blocking keep-alive TLS connections, as the API server does, and prints what it measured.
 * Arguments: port, CA file, review file, rate (reviews/s), seconds.
 *
 * <p>Warm-up first (a closed loop, then the measured open loop itself, unreported, in 5-second rounds
 * until a round compiles less than 10 ms), so that neither side is still compiling when the clock
 * runs; all phases share the same connections. The open loop sends review i on connection i mod
 * {@value #CONNECTIONS} at start + i / rate: its latency counts from that planned instant, so a stall
 * is not hidden by the client waiting for it. How late the client itself sent is reported beside
 * it, as are its own JIT, GC and {@link Hiccups} during the loop: they tell how clean the
 * measurement was. It prints {@code @measure-start} and {@code @measure-end} around each measured
 * loop, so that the server can meter its hiccups over the same time.
 *
 * <p>The open loop is measured twice: as the machine is, then with every core kept from idling
 * (between {@code @awake-start}, after which it waits for a line on stdin, and {@code @awake-end}).
 * On a virtual machine a core with nothing to do halts, and waking it again can take the
 * hypervisor milliseconds; a spinner at the lowest priority keeps it from halting without taking
 * CPU from anything else, so the second figure shows the webhook without that wake-up cost.
 */
final class AdmissionBenchmarkClient {

  private static final int CONNECTIONS = 8;
  private static final String PATH = "/mutate?timeout=5s";

  private final SSLContext tls;
  private final int port;
  private final byte[] review;

  private AdmissionBenchmarkClient(SSLContext tls, int port, byte[] review) {
    this.tls = tls;
    this.port = port;
    this.review = review;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    X509Certificate ca;
    try (var in = Files.newInputStream(Path.of(args[1]))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    byte[] review = Files.readAllBytes(Path.of(args[2]));
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    new AdmissionBenchmarkClient(TestTls.trusting(ca), port, review).run(rate, seconds);
  }

  private void run(int rate, int seconds) throws Exception {
    // one set of connections for the whole run, as the API server keeps its connections open;
    // the warm-up gives the JIT its profiles and lets the connections' own state age out of the
    // young generation, so the loop measures serving, not connecting
    List<KeepAliveHttpsConnection> connections = new ArrayList<>();
    try {
      for (int s = 0; s < CONNECTIONS; s++) {
        connections.add(new KeepAliveHttpsConnection(tls, "127.0.0.1", port));
      }
      closedLoop(connections, 60_000);
      // then the measuring code itself, until this JVM has stopped compiling (at most a minute)
      for (int round = 0; round < 12; round++) {
        long compiledBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        measure(null, connections, rate, 5);
        if (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compiledBefore < 10) {
          break;
        }
      }

      System.out.printf("  open loop at %d reviews/s for %d s, %d connections:%n", rate, seconds, CONNECTIONS);
      measure("as the machine is", connections, rate, seconds);
      // the orchestrator keeps every core busy with a lowest-priority spinner, then says go
      System.out.println("@awake-start");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      measure("cores kept from idling", connections, rate, seconds);
      System.out.println("@awake-end");
      System.out.flush();

      System.out.printf("  closed loop, 4 in flight: %.0f reviews/s%n", closedLoop(connections.subList(0, 4), 20_000));
    } finally {
      for (KeepAliveHttpsConnection connection : connections) {
        connection.close();
      }
    }
  }

  /**
   * One measured open loop, between the markers that let the server meter its hiccups over the same
   * time; without a label, a warm-up that reports nothing.
   */
  private void measure(String label, List<KeepAliveHttpsConnection> connections, int rate, int seconds)
      throws Exception {
    if (label != null) {
      System.out.println("@measure-start");
      System.out.flush();
    }
    Hiccups hiccups = new Hiccups().start();
    long[] gcBefore = gcTotals();
    long compileBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    OpenLoop measured = openLoop(connections, rate, seconds);
    long compileMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileBefore;
    long[] gcAfter = gcTotals();
    String clientHiccups = hiccups.stop();
    if (label == null) {
      return;
    }

    long[] latency = measured.latency.clone();
    long[] lateness = measured.lateness.clone();
    Arrays.sort(latency);
    Arrays.sort(lateness);
    System.out.printf("  - %s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", label,
        ms(latency, 50), ms(latency, 90), ms(latency, 99), ms(latency, 99.9), ms(latency, 100));
    System.out.printf("    client: sent late by p50 %.3f ms, p99 %.3f ms; JIT %d ms; GC %d collections, %d ms%n",
        ms(lateness, 50), ms(lateness, 99), compileMillis, gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
    System.out.println("    client hiccups: " + clientHiccups);
    System.out.println("@measure-end");
    System.out.flush();
  }

  private record OpenLoop(long[] latency, long[] lateness) {}

  private OpenLoop openLoop(List<KeepAliveHttpsConnection> connections, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long[] latency = new long[total];
    long[] lateness = new long[total];
    int senders = connections.size();
    ExecutorService threads = Executors.newFixedThreadPool(senders);
    try {
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        KeepAliveHttpsConnection connection = connections.get(s);
        running.add(threads.submit(() -> {
          for (int i = sender; i < total; i += senders) {
            long planned = start + i * interval;
            for (long wait = planned - System.nanoTime(); wait > 0; wait = planned - System.nanoTime()) {
              LockSupport.parkNanos(wait);
            }
            lateness[i] = System.nanoTime() - planned;
            expectOk(connection.post(PATH, review));
            latency[i] = System.nanoTime() - planned;
          }
          return null;
        }));
      }
      for (Future<?> sender : running) {
        sender.get(seconds + 300L, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    return new OpenLoop(latency, lateness);
  }

  /** Every connection keeps one request in flight until {@code total} are answered; returns reviews per second. */
  private double closedLoop(List<KeepAliveHttpsConnection> connections, int total) throws Exception {
    AtomicLong remaining = new AtomicLong(total);
    ExecutorService threads = Executors.newFixedThreadPool(connections.size());
    long started = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (KeepAliveHttpsConnection connection : connections) {
        workers.add(threads.submit(() -> {
          while (remaining.getAndDecrement() > 0) {
            expectOk(connection.post(PATH, review));
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(300, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    return total / ((System.nanoTime() - started) / 1e9);
  }

  private static void expectOk(int status) {
    if (status != 200) {
      throw new IllegalStateException("HTTP " + status);
    }
  }

  /** Collections and milliseconds spent collecting so far in this JVM. */
  private static long[] gcTotals() {
    long[] totals = new long[2];
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      totals[0] += Math.max(0, gc.getCollectionCount());
      totals[1] += Math.max(0, gc.getCollectionTime());
    }
    return totals;
  }

  /** The percentile of sorted nanoseconds, in milliseconds. */
  private static double ms(long[] sorted, double percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
