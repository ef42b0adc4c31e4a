package io.vk4j.provider.eci;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls ECI through Alibaba's generic OpenAPI client ({@code tea-openapi}), RPC style, signed with
 * the V1 HMAC-SHA1 signature. Parameters travel form-encoded in the POST body, so large requests
 * (config-file volumes) never hit URL length limits. No retries here: {@link ResilientTransport}
 * owns that.
 */
final class TeaTransport implements EciTransport {
  static final String API_VERSION = "2018-08-08";

  private final Client client;
  private final String region;

  TeaTransport(EciSettings settings) throws EciApiException {
    this.region = settings.region();
    Config config = new Config()
        .setCredential(CredentialsFactory.create(settings.credentials()))
        .setRegionId(settings.region())
        .setEndpoint(settings.endpoint())
        .setProtocol(settings.protocol())
        .setSignatureAlgorithm("v2")
        .setConnectTimeout(5_000)
        .setReadTimeout((int) settings.readTimeout().toMillis())
        .setMaxIdleConns(50)
        .setUserAgent("vk4j-eci-provider");
    try {
      this.client = new Client(config);
    } catch (Exception e) {
      throw new EciApiException("InvalidClientConfig", 0, "cannot create the ECI client: " + e.getMessage(), null, e);
    }
  }

  @Override
  public Map<String, Object> call(String action, Map<String, String> params, Duration readTimeout)
      throws EciApiException {
    Map<String, Object> body = new HashMap<>(params);
    body.putIfAbsent("RegionId", region);
    Params api = new Params()
        .setAction(action)
        .setVersion(API_VERSION)
        .setProtocol("HTTPS")
        .setPathname("/")
        .setMethod("POST")
        .setAuthType("AK")
        .setStyle("RPC")
        .setReqBodyType("formData")
        .setBodyType("json");
    RuntimeOptions runtime = new RuntimeOptions();
    runtime.setAutoretry(false);
    runtime.setReadTimeout((int) readTimeout.toMillis());
    try {
      Map<String, ?> response = client.callApi(api, new OpenApiRequest().setBody(body), runtime);
      Object responseBody = response.get("body");
      @SuppressWarnings("unchecked")
      Map<String, Object> json = responseBody instanceof Map ? (Map<String, Object>) responseBody : Map.of();
      return json;
    } catch (TeaException e) {
      return throwApiError(e);
    } catch (TeaUnretryableException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw EciApiException.transport(action + " got no response: " + cause, e);
    } catch (Exception e) {
      throw EciApiException.transport(action + " failed: " + e, e);
    }
  }

  private static Map<String, Object> throwApiError(TeaException e) throws EciApiException {
    Map<String, Object> data = e.getData();
    int status = 0;
    String requestId = null;
    String message = e.getMessage();
    if (data != null) {
      Object statusCode = data.get("statusCode");
      if (statusCode instanceof Number n) {
        status = n.intValue();
      }
      Object id = data.get("RequestId");
      requestId = id == null ? null : id.toString();
      Object text = data.get("Message");
      message = text == null ? message : text.toString();
    }
    if (status == 0 && e.getStatusCode() != null) {
      status = e.getStatusCode();
    }
    if (status == 0) {
      // a client-side TeaException (no response) is a transport problem
      throw EciApiException.transport(String.valueOf(e.getMessage()), e);
    }
    throw new EciApiException(e.getCode(), status, message, requestId, e);
  }
}
