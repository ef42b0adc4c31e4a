package io.vk4j.provider.fake;

/**
 * Pod annotations that script what the {@link FakeProvider} does with a pod. Durations are written
 * like Kubernetes writes them: {@code 250ms}, {@code 5s}, {@code 1m30s}, {@code 2h}. See
 * {@code docs/fake-provider.md}.
 */
public final class FakeAnnotations {
  private FakeAnnotations() {}

  private static final String PREFIX = "fake.vk4j.io/";

  /** Overrides the provider's start delay for this pod (a duration). */
  public static final String START_DELAY = PREFIX + "start-delay";

  /** The main containers exit this long after they started (a duration). */
  public static final String EXIT_AFTER = PREFIX + "exit-after";

  /** The exit code of {@link #EXIT_AFTER}; 0 by default. */
  public static final String EXIT_CODE = PREFIX + "exit-code";

  /** {@code createPod} always fails with an invalid-input error with this reason (UpperCamelCase). */
  public static final String FAIL_CREATE = PREFIX + "fail-create";

  /** The message of {@link #FAIL_CREATE}. */
  public static final String FAIL_CREATE_MESSAGE = PREFIX + "fail-create-message";

  /** {@code createPod} fails with a retryable error this many times for this pod UID, then succeeds. */
  public static final String FAIL_CREATE_TIMES = PREFIX + "fail-create-times";

  /** The retry-after (a duration) of the failures of {@link #FAIL_CREATE_TIMES}; none by default. */
  public static final String FAIL_CREATE_RETRY_AFTER = PREFIX + "fail-create-retry-after";

  /**
   * The pod vanishes from the backend this long (a duration) after it was created, without a
   * terminal status, as when a backend reclaims an instance behind the runtime's back.
   */
  public static final String VANISH_AFTER = PREFIX + "vanish-after";

  /**
   * On delete the pod keeps running this long (a duration) before it stops; {@code forever} (or
   * {@code true}) keeps it running until the provider is closed.
   */
  public static final String HANG_ON_DELETE = PREFIX + "hang-on-delete";

  /** Lines every container writes to its log after starting, separated by new lines. */
  public static final String LOG = PREFIX + "log";

  /**
   * What listens on the pod's ports for port-forward: {@code PORT=echo} or {@code PORT=http},
   * comma-separated ({@code 80=http,7000=echo}). Without it, the ports the containers declare.
   */
  public static final String PORTS = PREFIX + "ports";
}
