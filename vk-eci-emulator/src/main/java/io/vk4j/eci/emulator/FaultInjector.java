package io.vk4j.eci.emulator;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Faults the emulator injects on demand, as ECI produces them: throttling, server errors, slow responses
 * and zones without stock. One-shot faults apply to the next {@code calls} matching requests (an
 * {@code action} of {@code null} matches every action) in the order they were added; rate limits and
 * stock stay until cleared. Thread-safe. Faults apply to requests whose signature is valid.
 */
public final class FaultInjector {

  /** ECI's throttling error: HTTP 400 {@code Throttling.User}. */
  public static final String THROTTLING_CODE = "Throttling.User";
  /**
   * The synchronous CreateContainerGroup error for a zone without stock. Observed ECI codes for this
   * situation include {@code RecommendEmpty.InstanceTypeNoStock} (see docs/eci-emulator.md).
   */
  public static final String NO_STOCK_CODE = "RecommendEmpty.InstanceTypeNoStock";

  /** How a zone without stock shows up. */
  public enum NoStockMode {
    /** CreateContainerGroup fails with {@link #NO_STOCK_CODE} when every candidate zone lacks stock. */
    CREATE_FAILS,
    /** The group is created, then ends ScheduleFailed with a NoStock event. */
    SCHEDULE_FAILS
  }

  /** ECI's second flow-control error: HTTP 400 {@code Degrade.Api}. */
  public static final String DEGRADE_CODE = "Degrade.Api";
  /** The RPC gateway's answer to a key whose RAM policy does not allow the action. */
  public static final String RAM_DENIED_CODE = "Forbidden.RAM";
  /** The listing actions, which answer an empty list (not an error) to a key without RAM permission. */
  static final Set<String> LISTING_ACTIONS = ImmutableSet.of("DescribeContainerGroups", "DescribeContainerGroupStatus");

  /** What to do with one request. */
  static final class Decision {
    final ApiException error;
    final Duration holdBefore;
    final Duration holdAfter;
    /** Answer an empty list instead of performing the (listing) action. */
    final boolean emptyList;

    Decision(ApiException error, Duration holdBefore, Duration holdAfter) {
      this(error, holdBefore, holdAfter, false);
    }

    Decision(ApiException error, Duration holdBefore, Duration holdAfter, boolean emptyList) {
      this.error = error;
      this.holdBefore = holdBefore;
      this.holdAfter = holdAfter;
      this.emptyList = emptyList;
    }

    static final Decision NONE = new Decision(null, Duration.ZERO, Duration.ZERO);
    static final Decision EMPTY_LIST = new Decision(null, Duration.ZERO, Duration.ZERO, true);
  }

  private static final class Rule {
    final String action;
    int remaining;
    final Decision decision;

    Rule(String action, int remaining, Decision decision) {
      this.action = action;
      this.remaining = remaining;
      this.decision = decision;
    }
  }

  /** A token bucket of one second's worth of calls. */
  private static final class Bucket {
    final double perSecond;
    double tokens;
    long lastNanos = System.nanoTime();

    Bucket(double perSecond) {
      this.perSecond = perSecond;
      this.tokens = Math.max(1, perSecond);
    }

    boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(Math.max(1, perSecond), tokens + (now - lastNanos) / 1e9 * perSecond);
      lastNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private int noStockStatus = 400;
  private String noStockCode = NO_STOCK_CODE;
  private final Map<String, Double> rateLimits = new HashMap<>();
  private final Map<String, Bucket> buckets = new HashMap<>();
  private final Map<String, NoStockMode> zonesWithoutStock = new HashMap<>();
  private boolean ramPermission = true;

  FaultInjector() {}

  /** The next {@code calls} requests of any action fail with {@code Throttling.User}. */
  public FaultInjector throttleNext(int calls) {
    return throttleNext(null, calls);
  }

  /** The next {@code calls} requests of {@code action} fail with {@code Throttling.User}. */
  public FaultInjector throttleNext(String action, int calls) {
    return add(action, calls, throttling(), Duration.ZERO, Duration.ZERO);
  }

  /** The next {@code calls} requests of {@code action} ({@code null}: any) fail with HTTP 400 {@code Degrade.Api}. */
  public FaultInjector degradeNext(String action, int calls) {
    return add(action, calls, new ApiException(400, DEGRADE_CODE, "Request was denied due to API flow control."),
        Duration.ZERO, Duration.ZERO);
  }

  /**
   * The next {@code calls} requests of the listing {@code action} (DescribeContainerGroups or
   * DescribeContainerGroupStatus) answer an empty list, whatever exists: the answer a provider must not take
   * as proof that groups are gone.
   */
  public FaultInjector emptyAnswerNext(String action, int calls) {
    Preconditions.checkArgument(LISTING_ACTIONS.contains(action), "not a listing action: %s", action);
    return add(action, calls, Decision.EMPTY_LIST);
  }

  /**
   * With {@code false}, the key behaves as one whose RAM policy lacks ECI permissions: the listing actions
   * answer empty lists, every other action HTTP 403 {@code Forbidden.RAM}.
   */
  public synchronized FaultInjector ramPermission(boolean granted) {
    this.ramPermission = granted;
    return this;
  }

  /** Every action accepts at most {@code callsPerSecond} requests a second (its own bucket each). */
  public synchronized FaultInjector rateLimit(double callsPerSecond) {
    return rateLimit("*", callsPerSecond);
  }

  /** {@code action} accepts at most {@code callsPerSecond} requests a second; beyond, it throttles. */
  public synchronized FaultInjector rateLimit(String action, double callsPerSecond) {
    Preconditions.checkArgument(callsPerSecond > 0, "callsPerSecond must be positive: %s", callsPerSecond);
    rateLimits.put(action == null ? "*" : action, callsPerSecond);
    buckets.clear();
    return this;
  }

  /** The next {@code calls} requests of any action fail with HTTP 500 {@code InternalError}. */
  public FaultInjector internalErrorNext(int calls) {
    return internalErrorNext(null, calls);
  }

  public FaultInjector internalErrorNext(String action, int calls) {
    return add(action, calls, new ApiException(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure."), Duration.ZERO, Duration.ZERO);
  }

  /** The next {@code calls} requests of any action fail with HTTP 503 {@code ServiceUnavailable}. */
  public FaultInjector serviceUnavailableNext(int calls) {
    return serviceUnavailableNext(null, calls);
  }

  public FaultInjector serviceUnavailableNext(String action, int calls) {
    return add(action, calls, new ApiException(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."), Duration.ZERO, Duration.ZERO);
  }

  /** The next {@code calls} requests of {@code action} fail with this exact error. */
  public FaultInjector errorNext(String action, int calls, int httpStatus, String code, String message) {
    Preconditions.checkArgument(httpStatus >= 400 && httpStatus <= 599, "httpStatus must be 4xx or 5xx: %s", httpStatus);
    return add(action, calls, new ApiException(httpStatus, code, message), Duration.ZERO, Duration.ZERO);
  }

  /**
   * The next {@code calls} requests of {@code action} are performed, then their response is held for
   * {@code hold}: with a hold longer than the client's read timeout, the client sees a timeout although the
   * server did the work (a create that timed out yet succeeded).
   */
  public FaultInjector delayResponseNext(String action, int calls, Duration hold) {
    return add(action, calls, null, Duration.ZERO, hold);
  }

  /** The next {@code calls} requests of {@code action} wait {@code hold} before they are performed. */
  public FaultInjector delayRequestNext(String action, int calls, Duration hold) {
    return add(action, calls, null, hold, Duration.ZERO);
  }

  /** Creates in {@code zoneId} fail as {@code mode} says until {@link #restock}. */
  public synchronized FaultInjector noStock(String zoneId, NoStockMode mode) {
    zonesWithoutStock.put(Preconditions.checkNotNull(zoneId), Preconditions.checkNotNull(mode));
    return this;
  }

  /** Creates in {@code zoneId} fail with {@link #NO_STOCK_CODE} until {@link #restock}. */
  public FaultInjector noStock(String zoneId) {
    return noStock(zoneId, NoStockMode.CREATE_FAILS);
  }

  /**
   * The error a create answers when no candidate zone has stock (default HTTP 400 {@link #NO_STOCK_CODE}),
   * so a provider can be tested against each code it treats as "try another zone".
   */
  public synchronized FaultInjector noStockError(int httpStatus, String code) {
    Preconditions.checkArgument(httpStatus >= 400 && httpStatus <= 599, "httpStatus must be 4xx or 5xx: %s", httpStatus);
    this.noStockStatus = httpStatus;
    this.noStockCode = Preconditions.checkNotNull(code);
    return this;
  }

  synchronized ApiException noStockException(String detail) {
    return new ApiException(noStockStatus, noStockCode, "The resource is out of stock in the specified zone. Please try other types, or choose other regions and zones. " + detail);
  }

  public synchronized FaultInjector restock(String zoneId) {
    zonesWithoutStock.remove(zoneId);
    return this;
  }

  public synchronized Set<String> zonesWithoutStock() {
    return ImmutableSet.copyOf(zonesWithoutStock.keySet());
  }

  /** Removes every fault: one-shot faults, rate limits and zones without stock. */
  public synchronized FaultInjector clear() {
    rules.clear();
    rateLimits.clear();
    buckets.clear();
    zonesWithoutStock.clear();
    ramPermission = true;
    noStockStatus = 400;
    noStockCode = NO_STOCK_CODE;
    return this;
  }

  /** One-shot faults not yet consumed, over all rules. */
  public synchronized int pendingFaults() {
    return rules.stream().mapToInt(r -> r.remaining).sum();
  }

  private FaultInjector add(String action, int calls, ApiException error, Duration before, Duration after) {
    Preconditions.checkArgument(!before.isNegative() && !after.isNegative(), "holds must not be negative");
    return add(action, calls, new Decision(error, before, after));
  }

  private synchronized FaultInjector add(String action, int calls, Decision decision) {
    Preconditions.checkArgument(calls > 0, "calls must be positive: %s", calls);
    rules.add(new Rule(action, calls, decision));
    return this;
  }

  synchronized Decision decide(String action) {
    if (!ramPermission) {
      return LISTING_ACTIONS.contains(action) ? Decision.EMPTY_LIST : new Decision(new ApiException(403, RAM_DENIED_CODE,
          "User not authorized to operate on the specified resource, or this API doesn't support RAM."), Duration.ZERO,
          Duration.ZERO);
    }
    Iterator<Rule> it = rules.iterator();
    while (it.hasNext()) {
      Rule rule = it.next();
      if (rule.action == null || rule.action.equals(action)) {
        rule.remaining--;
        if (rule.remaining <= 0) {
          it.remove();
        }
        return rule.decision;
      }
    }
    Double limit = rateLimits.getOrDefault(action, rateLimits.get("*"));
    if (limit != null && !buckets.computeIfAbsent(action, a -> new Bucket(limit)).tryTake()) {
      return new Decision(throttling(), Duration.ZERO, Duration.ZERO);
    }
    return Decision.NONE;
  }

  synchronized Optional<NoStockMode> stockOf(String zoneId) {
    return Optional.ofNullable(zonesWithoutStock.get(zoneId));
  }

  private static ApiException throttling() {
    return new ApiException(400, THROTTLING_CODE, "Request was denied due to user flow control.");
  }
}
