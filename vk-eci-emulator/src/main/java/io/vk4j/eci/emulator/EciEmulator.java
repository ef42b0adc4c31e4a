package io.vk4j.eci.emulator;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Alibaba Cloud ECI endpoint (OpenAPI 2018-08-08, RPC style) for tests and demos.
 *
 * <pre>{@code
 * try (EciEmulator eci = EciEmulator.builder().credentials("ak", "sk").region("cn-hangzhou").build().start()) {
 *   Config config = new Config().setAccessKeyId("ak").setAccessKeySecret("sk")
 *       .setEndpoint(eci.endpoint()).setProtocol("http");
 *   ...
 * }
 * }</pre>
 *
 * <p>Container groups live in memory; {@link #restart()} stops and restarts the HTTP server keeping them,
 * as a restarted ECI endpoint would. Thread-safe.
 */
public final class EciEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EciEmulator.class);

  static {
    // The JDK server leaves Nagle on by default, which adds delayed-ACK pauses to small responses.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Access key used when the builder names none. */
  public static final String DEFAULT_ACCESS_KEY_ID = "emulator-access-key";
  /** Secret of {@link #DEFAULT_ACCESS_KEY_ID}. */
  public static final String DEFAULT_ACCESS_KEY_SECRET = "emulator-secret";

  private final String host;
  private final int requestedPort;
  private final String regionId;
  private final int threads;
  private final boolean adminEndpoint;
  private final FaultInjector faults = new FaultInjector();
  private final CallCounter calls = new CallCounter();
  private final ContainerGroupStore store;
  private final SignatureVerifier verifier;
  private final Path stateFile;
  private final Set<AccountFeature> features;
  private final ExecSessions execSessions;
  private ExecWebSocketServer execServer;
  private int execPort;
  private HttpServer server;
  private ExecutorService executor;
  private int boundPort = -1;
  private boolean closed;

  private EciEmulator(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.regionId = b.regionId;
    this.threads = b.threads;
    this.adminEndpoint = b.adminEndpoint;
    Map<String, String> credentials = b.credentials.isEmpty() ? Map.of(DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET) : b.credentials;
    Network network = new Network(b.regionId, b.vSwitches);
    this.features = ImmutableSet.copyOf(b.features);
    this.execSessions = new ExecSessions(b.clock);
    this.store = new ContainerGroupStore(b.regionId, b.clock, b.transitionDelay, b.terminalRetention, b.retainedTerminalGroups,
        b.maxContainerGroups, network, faults);
    this.stateFile = b.stateFile;
    if (stateFile != null && Files.exists(stateFile)) {
      try {
        store.loadFrom(stateFile);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot read the emulator state file " + stateFile + ": " + e.getMessage(), e);
      }
      log.info("Read {} container groups from {}", store.size(), stateFile);
    }
    this.verifier = new SignatureVerifier(credentials, b.securityTokens, b.clock, new NonceCache(b.clock, SignatureVerifier.MAX_SKEW.multipliedBy(2), b.maxRememberedNonces));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and serves. Returns this, for {@code builder()...build().start()}. */
  public synchronized EciEmulator start() {
    Preconditions.checkState(!closed, "the emulator was closed");
    Preconditions.checkState(server == null, "the emulator is already serving");
    int port = boundPort >= 0 ? boundPort : requestedPort;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    execServer = new ExecWebSocketServer(host, execSessions, store);
    try {
      execPort = execServer.start(execPort);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new IllegalStateException("interrupted while starting the exec server", e);
    }
    executor = Executors.newFixedThreadPool(threads, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", new EciHttpHandler(regionId, verifier, new EciActions(store, features, execSessions), faults, calls, adminEndpoint ? new AdminHandler(this) : null));
    server.start();
    boundPort = server.getAddress().getPort();
    log.info("ECI emulator for region {} listening on {}", regionId, endpoint());
    return this;
  }

  private static ThreadFactory daemonThreads() {
    return new ThreadFactoryBuilder().setNameFormat("eci-emulator-%d").setDaemon(true).build();
  }

  /**
   * Stops serving: connections are refused until {@link #start()}; groups and faults are kept, and written
   * to the state file when there is one.
   */
  public synchronized void stop() {
    saveState();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server = null;
      executor = null;
      execServer.close();
      execServer = null;
    }
  }

  private void saveState() {
    if (stateFile == null) {
      return;
    }
    try {
      store.saveTo(stateFile);
    } catch (IOException | RuntimeException e) {
      log.warn("Cannot write the emulator state file {}", stateFile, e);
    }
  }

  /** Stops and starts again on the same port, keeping every container group: an endpoint restart. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** For the admin endpoint, which cannot stop the server from inside one of its own requests. */
  void restartLater() {
    new ThreadFactoryBuilder().setNameFormat("eci-emulator-restart").setDaemon(true).build().newThread(() -> {
      try {
        Thread.sleep(100);
        restart();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.warn("Restart failed", e);
      }
    }).start();
  }

  /** {@code host:port}, what tea-openapi's {@code Config.setEndpoint} takes (with protocol http). */
  public String endpoint() {
    return host + ":" + port();
  }

  public synchronized int port() {
    Preconditions.checkState(boundPort >= 0, "the emulator has not been started");
    return boundPort;
  }

  public String regionId() {
    return regionId;
  }

  public FaultInjector faults() {
    return faults;
  }

  /** Every container group the emulator holds now, in creation order. */
  public List<ContainerGroupSnapshot> containerGroups() {
    return store.snapshots();
  }

  public Optional<ContainerGroupSnapshot> containerGroup(String id) {
    return store.locked(() -> store.find(id).map(ContainerGroupSnapshot::of));
  }

  /**
   * Makes a running container exit now, as if its process ended with {@code exitCode}: with restart policy
   * Always (or OnFailure and a non-zero code) it restarts, otherwise it stays Terminated and the group
   * ends Succeeded or Failed once every container has.
   *
   * @throws IllegalArgumentException if there is no such group
   * @throws IllegalStateException if the container is not running
   */
  public void exitContainer(String containerGroupId, String containerName, int exitCode) {
    Preconditions.checkArgument(exitCode >= 0 && exitCode <= 255, "exitCode must be 0..255: %s", exitCode);
    store.exitContainer(containerGroupId, containerName, exitCode);
  }

  /**
   * Makes a group {@code Expired} now (ECI's status for a group stopped because the account is overdue):
   * its containers terminate, {@code ExpiredTime} is set, and it is forgotten after the retention.
   *
   * @throws IllegalArgumentException if there is no such group
   * @throws IllegalStateException if it has already ended or is being deleted
   */
  public void expireContainerGroup(String containerGroupId) {
    store.expire(containerGroupId);
  }

  /** Requests received for {@code action} since start or the last reset, whatever their outcome. */
  public long callCount(String action) {
    return calls.get(action);
  }

  public ImmutableSortedMap<String, Long> callCounts() {
    return calls.snapshot();
  }

  public long totalCalls() {
    return calls.total();
  }

  public void resetCallCounts() {
    calls.reset();
  }

  List<Map<String, Object>> describeAllForAdmin() {
    return store.locked(() -> {
      List<Map<String, Object>> all = new ArrayList<>();
      store.list(g -> true, 0).forEach(g -> all.add(GroupJson.describe(g, EciActions.MAX_EVENTS_PER_GROUP)));
      return all;
    });
  }

  @Override
  public synchronized void close() {
    stop();
    closed = true;
  }

  /** Options of an {@link EciEmulator}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String regionId = "cn-hangzhou";
    private final Map<String, String> credentials = new LinkedHashMap<>();
    private final Map<String, String> securityTokens = new LinkedHashMap<>();
    private Duration transitionDelay = Duration.ofMillis(300);
    private Duration terminalRetention = Duration.ofHours(1);
    private int retainedTerminalGroups = 100;
    private final Set<AccountFeature> features = EnumSet.noneOf(AccountFeature.class);
    private int maxContainerGroups = 20_000;
    private int maxRememberedNonces = 1_000_000;
    private int threads = 32;
    private boolean adminEndpoint = true;
    private Clock clock = Clock.systemUTC();
    private Path stateFile;
    private final Map<String, String[]> vSwitches = new LinkedHashMap<>();

    private Builder() {}

    /** 0 (the default) picks a free port. */
    public Builder port(int port) {
      Preconditions.checkArgument(port >= 0 && port <= 65535, "port must be 0..65535: %s", port);
      this.port = port;
      return this;
    }

    /** Interface to listen on; default 127.0.0.1. */
    public Builder host(String host) {
      this.host = Preconditions.checkNotNull(host);
      return this;
    }

    public Builder region(String regionId) {
      Preconditions.checkArgument(regionId.matches("[a-z0-9-]+"), "not a region id: %s", regionId);
      this.regionId = regionId;
      return this;
    }

    /** Accepts requests signed with this key pair; may be called several times. */
    public Builder credentials(String accessKeyId, String accessKeySecret) {
      Preconditions.checkArgument(!accessKeyId.isEmpty() && !accessKeySecret.isEmpty(), "empty credentials");
      credentials.put(accessKeyId, accessKeySecret);
      return this;
    }

    /**
     * Accepts this temporary (STS) key pair, only with its security token ({@code SecurityToken} in V1,
     * {@code x-acs-security-token} in V3).
     */
    public Builder stsCredentials(String accessKeyId, String accessKeySecret, String securityToken) {
      Preconditions.checkArgument(!securityToken.isEmpty(), "empty security token");
      credentials(accessKeyId, accessKeySecret);
      securityTokens.put(accessKeyId, securityToken);
      return this;
    }

    /** Time each lifecycle step takes (Scheduling, Pending, Terminating, ...); default 300 ms, 0 for instant. */
    public Builder groupTransitionDelay(Duration delay) {
      Preconditions.checkArgument(!delay.isNegative(), "negative delay");
      this.transitionDelay = delay;
      return this;
    }

    /** How long a Succeeded or Failed group stays visible before ECI forgets it; default 1 hour. */
    public Builder terminalRetention(Duration retention) {
      Preconditions.checkArgument(!retention.isNegative(), "negative retention");
      this.terminalRetention = retention;
      return this;
    }

    /** Upper bound of groups held at once; creates beyond it fail with QuotaExceeded.ContainerGroup. */
    public Builder maxContainerGroups(int max) {
      Preconditions.checkArgument(max > 0, "max must be positive");
      this.maxContainerGroups = max;
      return this;
    }

    /** Upper bound of nonces remembered for replay detection; default one million. */
    public Builder maxRememberedNonces(int max) {
      Preconditions.checkArgument(max > 0, "max must be positive");
      this.maxRememberedNonces = max;
      return this;
    }

    /** Threads serving requests (held responses occupy one each); default 32. */
    public Builder threads(int threads) {
      Preconditions.checkArgument(threads > 0, "threads must be positive");
      this.threads = threads;
      return this;
    }

    /** Whether the unsigned {@code /_emulator/} admin endpoints are served; default true. */
    public Builder adminEndpoint(boolean enabled) {
      this.adminEndpoint = enabled;
      return this;
    }

    /** The emulator's time: group lifecycle, signature timestamps. Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Preconditions.checkNotNull(clock);
      return this;
    }

    /**
     * Declares a vSwitch: its zone and the IPv4 CIDR block group IPs come from. Undeclared vSwitches get a
     * zone derived from their id and a 10.N.0.0/16 block.
     */
    public Builder vSwitch(String vSwitchId, String zoneId, String cidr) {
      new Network.VSwitch(vSwitchId, zoneId, cidr);
      vSwitches.put(vSwitchId, new String[] {zoneId, cidr});
      return this;
    }

    /**
     * Keeps the container groups in this JSON file: read when the emulator is built (if it exists), written
     * when it stops or closes, so a standalone emulator restarted as a new process finds its groups.
     */
    public Builder stateFile(Path file) {
      this.stateFile = Preconditions.checkNotNull(file);
      return this;
    }

    /**
     * After the retention, only this many ended groups stay listed, the newest ones; default 100 (ECI keeps
     * the newest 100 per region).
     */
    public Builder retainedTerminalGroups(int count) {
      Preconditions.checkArgument(count >= 0, "count must not be negative");
      this.retainedTerminalGroups = count;
      return this;
    }

    /** Puts the account on ECI's allow list for these features (a default account has none). */
    public Builder allowListed(AccountFeature... granted) {
      features.addAll(List.of(granted));
      return this;
    }

    public EciEmulator build() {
      return new EciEmulator(this);
    }
  }
}
