package io.vk4j.eci.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone until interrupted:
 * {@code java -jar vk-eci-emulator.jar --port 8080 --access-key ak --secret sk --region cn-hangzhou}.
 */
public final class EciEmulatorMain {

  private EciEmulatorMain() {}

  static final String USAGE = String.join("\n",
      "Usage: java -jar vk-eci-emulator.jar [options]",
      "  --port N                 port to listen on (default 8080; 0 picks a free one)",
      "  --host ADDRESS           interface to listen on (default 127.0.0.1)",
      "  --region ID              region served (default cn-hangzhou)",
      "  --access-key ID          accepted AccessKeyId (default " + EciEmulator.DEFAULT_ACCESS_KEY_ID + ")",
      "  --secret SECRET          its AccessKeySecret (default " + EciEmulator.DEFAULT_ACCESS_KEY_SECRET + ")",
      "  --transition-delay-ms N  time of each lifecycle step (default 300)",
      "  --retention-minutes N    how long finished groups stay visible (default 60)",
      "  --vswitch ID=ZONE/CIDR   declare a vSwitch, e.g. vsw-a=cn-hangzhou-h/10.1.0.0/16 (repeatable)",
      "  --state-file PATH        keep container groups in this JSON file across restarts",
      "  --help                   this text");

  public static void main(String[] args) throws InterruptedException {
    EciEmulator emulator;
    try {
      emulator = parse(args);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (emulator == null) {
      System.out.println(USAGE);
      return;
    }
    emulator.start();
    System.out.println("ECI emulator listening on " + emulator.endpoint() + " (region " + emulator.regionId() + ")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "eci-emulator-shutdown"));
    stopped.await();
  }

  /** Returns null when only help was asked for. */
  static EciEmulator parse(String[] args) {
    EciEmulator.Builder b = EciEmulator.builder().port(8080);
    String accessKey = null;
    String secret = null;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (rest.isEmpty()) {
        throw new IllegalArgumentException("unknown flag or missing value: " + flag);
      }
      String value = rest.remove(0);
      switch (flag) {
        case "--port" -> b.port(integer(flag, value));
        case "--host" -> b.host(value);
        case "--region" -> b.region(value);
        case "--access-key" -> accessKey = value;
        case "--secret" -> secret = value;
        case "--transition-delay-ms" -> b.groupTransitionDelay(Duration.ofMillis(integer(flag, value)));
        case "--retention-minutes" -> b.terminalRetention(Duration.ofMinutes(integer(flag, value)));
        case "--state-file" -> b.stateFile(Path.of(value));
        case "--vswitch" -> {
          int eq = value.indexOf('=');
          int slash = value.indexOf('/');
          if (eq < 1 || slash < eq) {
            throw new IllegalArgumentException("--vswitch takes ID=ZONE/CIDR, e.g. vsw-a=cn-hangzhou-h/10.1.0.0/16: " + value);
          }
          b.vSwitch(value.substring(0, eq), value.substring(eq + 1, slash), value.substring(slash + 1));
        }
        default -> throw new IllegalArgumentException("unknown flag: " + flag);
      }
    }
    if ((accessKey == null) != (secret == null)) {
      throw new IllegalArgumentException("--access-key and --secret go together");
    }
    if (accessKey != null) {
      b.credentials(accessKey, secret);
    }
    return b.build();
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes an integer: " + value);
    }
  }
}
