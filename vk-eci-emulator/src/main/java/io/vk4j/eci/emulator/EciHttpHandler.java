package io.vk4j.eci.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: reads a request, counts it, checks its signature, applies injected faults, runs the action
 * and answers JSON, or an error shaped like Alibaba's. Nothing a client sends makes it throw.
 */
final class EciHttpHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(EciHttpHandler.class);

  private final String regionId;
  private final SignatureVerifier verifier;
  private final EciActions actions;
  private final FaultInjector faults;
  private final CallCounter calls;
  private final AdminHandler admin;

  EciHttpHandler(String regionId, SignatureVerifier verifier, EciActions actions, FaultInjector faults, CallCounter calls, AdminHandler admin) {
    this.regionId = regionId;
    this.verifier = verifier;
    this.actions = actions;
    this.faults = faults;
    this.calls = calls;
    this.admin = admin;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    try (exchange) {
      if (admin != null && exchange.getRequestURI().getRawPath().startsWith(AdminHandler.PREFIX)) {
        admin.handle(exchange);
        return;
      }
      int status = 200;
      Map<String, Object> body;
      try {
        body = serve(exchange, requestId);
      } catch (ApiException e) {
        status = e.httpStatus();
        body = error(requestId, e);
        log.debug("{} {} -> {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), status, e.code(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Unexpected failure serving request {}", requestId, e);
        status = 500;
        body = error(requestId, new ApiException(500, "InternalError", "The emulator failed: " + e));
      }
      write(exchange, status, requestId, body);
    } catch (IOException e) {
      log.debug("Client went away during request {}: {}", requestId, e.toString());
    }
  }

  private Map<String, Object> serve(HttpExchange exchange, String requestId) throws IOException, InterruptedException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("POST")) {
      throw new ApiException(400, "UnsupportedHTTPMethod", "RPC requests use GET or POST, not " + method + ".");
    }
    RpcRequest request = RpcRequest.read(exchange);
    String action = request.action().orElseThrow(() -> ApiException.missingParameter("Action"));
    calls.count(action);
    String version = request.version().orElseThrow(() -> ApiException.missingParameter("Version"));
    if (!version.equals(EciActions.VERSION)) {
      throw new ApiException(400, "InvalidVersion", "Specified parameter Version " + version + " is not valid; ECI serves " + EciActions.VERSION + ".");
    }
    verifier.verify(request);
    if (!EciActions.ACTIONS.contains(action)) {
      throw new ApiException(404, "InvalidAction.NotFound", "Specified api " + action + " is not found, please check your url and method.");
    }
    FaultInjector.Decision decision = faults.decide(action);
    hold(decision.holdBefore);
    if (decision.error != null) {
      throw decision.error;
    }
    Map<String, Object> result = decision.emptyList ? EciActions.emptyList(action) : actions.call(action, request.params());
    hold(decision.holdAfter);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("RequestId", requestId);
    body.putAll(result);
    return body;
  }

  private static void hold(Duration duration) throws InterruptedException {
    if (!duration.isZero()) {
      Thread.sleep(duration.toMillis());
    }
  }

  private Map<String, Object> error(String requestId, ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("RequestId", requestId);
    body.put("HostId", "eci." + regionId + ".aliyuncs.com");
    body.put("Code", e.code());
    body.put("Message", e.getMessage());
    body.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + e.code() + "&product=Eci&requestId=" + requestId);
    return body;
  }

  static void write(HttpExchange exchange, int status, String requestId, Object body) throws IOException {
    byte[] bytes = Json.GSON.toJson(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    if (requestId != null) {
      exchange.getResponseHeaders().set("x-acs-request-id", requestId);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
