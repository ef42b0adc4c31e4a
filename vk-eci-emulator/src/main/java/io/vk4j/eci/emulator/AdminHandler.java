package io.vk4j.eci.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Unsigned admin endpoints under {@code /_emulator/} for people running the emulator standalone: inspect
 * groups and call counts, inject faults, restart. Answers {@code {"ok":true,...}} or a 400 with a reason.
 */
final class AdminHandler {

  static final String PREFIX = "/_emulator/";

  private final EciEmulator emulator;

  AdminHandler(EciEmulator emulator) {
    this.emulator = emulator;
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    Map<String, Object> out = new LinkedHashMap<>();
    int status = 200;
    try {
      Map<String, String> q = RpcRequest.decodeForm(exchange.getRequestURI().getRawQuery(), "query string");
      if (method.equals("GET")) {
        switch (path) {
          case "health" -> out.put("status", "ok");
          case "container-groups" -> out.put("ContainerGroups", emulator.describeAllForAdmin());
          case "calls" -> out.put("Calls", emulator.callCounts());
          default -> throw new IllegalArgumentException("unknown GET " + PREFIX + path + "; try health, container-groups, calls");
        }
      } else if (method.equals("POST")) {
        FaultInjector faults = emulator.faults();
        String action = q.get("action");
        switch (path) {
          case "faults/throttle" -> faults.throttleNext(action, intParam(q, "calls"));
          case "faults/degrade" -> faults.degradeNext(action, intParam(q, "calls"));
          case "faults/empty-answer" -> faults.emptyAnswerNext(required(q, "action"), intParam(q, "calls"));
          case "faults/ram-permission" -> faults.ramPermission(Boolean.parseBoolean(required(q, "granted")));
          case "faults/rate-limit" -> faults.rateLimit(action, Double.parseDouble(required(q, "perSecond")));
          case "faults/error" -> {
            int httpStatus = intParam(q, "status");
            String code = q.getOrDefault("code", httpStatus == 503 ? "ServiceUnavailable" : "InternalError");
            faults.errorNext(action, intParam(q, "calls"), httpStatus, code, q.getOrDefault("message", "Injected by the emulator."));
          }
          case "faults/delay-response" -> faults.delayResponseNext(action, intParam(q, "calls"), Duration.ofMillis(intParam(q, "millis")));
          case "faults/delay-request" -> faults.delayRequestNext(action, intParam(q, "calls"), Duration.ofMillis(intParam(q, "millis")));
          case "faults/no-stock" -> faults.noStock(required(q, "zone"), FaultInjector.NoStockMode.valueOf(q.getOrDefault("mode", "CREATE_FAILS").toUpperCase(Locale.ROOT)));
          case "faults/restock" -> faults.restock(required(q, "zone"));
          case "faults/clear" -> faults.clear();
          case "calls/reset" -> emulator.resetCallCounts();
          case "expire" -> emulator.expireContainerGroup(required(q, "group"));
          case "exit" -> emulator.exitContainer(required(q, "group"), required(q, "container"), intParam(q, "code"));
          case "restart" -> emulator.restartLater();
          default -> throw new IllegalArgumentException("unknown POST " + PREFIX + path + "; try faults/throttle, faults/degrade, faults/empty-answer, faults/ram-permission, faults/rate-limit, faults/error, faults/delay-response, faults/delay-request, faults/no-stock, faults/restock, faults/clear, calls/reset, exit, expire, restart");
        }
        out.put("ok", true);
        out.put("ZonesWithoutStock", new ArrayList<>(faults.zonesWithoutStock()));
        out.put("PendingFaults", faults.pendingFaults());
      } else {
        throw new IllegalArgumentException("use GET or POST");
      }
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException | ApiException e) {
      status = 400;
      out.clear();
      out.put("ok", false);
      out.put("error", String.valueOf(e.getMessage()));
    }
    EciHttpHandler.write(exchange, status, null, out);
  }

  private static String required(Map<String, String> q, String name) {
    return Optional.ofNullable(q.get(name)).filter(v -> !v.isEmpty())
        .orElseThrow(() -> new IllegalArgumentException("missing query parameter " + name));
  }

  private static int intParam(Map<String, String> q, String name) {
    String value = required(q, name);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not an integer: " + value);
    }
  }
}
