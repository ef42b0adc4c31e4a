package io.vk4j.eci.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The interactive exec sessions ExecContainerCommand hands out: each URI carries a random token valid for
 * {@link #VALIDITY} (as ECI's HttpUrl is) and good for one connection. Thread-safe.
 */
final class ExecSessions {
  static final Duration VALIDITY = Duration.ofSeconds(30);
  /** Tokens handed out and not yet used; beyond, the oldest are dropped. */
  static final int MAX_PENDING = 1000;

  /** What a token opens: a command in a container, with or without a terminal and stdin. */
  record Session(String groupId, String containerName, List<String> command, boolean tty, boolean stdin) {}

  private record Pending(Session session, Instant expires) {}

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private volatile String baseUri = "ws://127.0.0.1:0";

  ExecSessions(Clock clock) {
    this.clock = clock;
  }

  /** Where the WebSocket server listens, {@code host:port}. */
  void address(String hostAndPort) {
    this.baseUri = "ws://" + hostAndPort;
  }

  synchronized String open(Session session) {
    Instant now = clock.instant();
    pending.values().removeIf(p -> !p.expires().isAfter(now));
    if (pending.size() >= MAX_PENDING) {
      Iterator<String> oldest = pending.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    pending.put(token, new Pending(session, now.plus(VALIDITY)));
    return token;
  }

  /** The session of {@code token}, once: empty when unknown, used or expired. */
  synchronized Optional<Session> take(String token) {
    Pending p = pending.remove(token);
    return p == null || !p.expires().isAfter(clock.instant()) ? Optional.empty() : Optional.of(p.session());
  }

  String webSocketUri(String token) {
    return baseUri + ExecWebSocketServer.PATH + "?token=" + token;
  }

  /** ECI's browser terminal; the emulator does not serve it. */
  String httpUrl(String token) {
    return baseUri.replaceFirst("^ws", "http") + "/terminal?token=" + token;
  }
}
