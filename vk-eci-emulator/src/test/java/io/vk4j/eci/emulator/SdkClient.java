package io.vk4j.eci.emulator;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import java.util.Map;

/** Calls the emulator through the real Alibaba SDK (tea-openapi), the way the ECI provider does. */
final class SdkClient {

  /** Which signature the SDK sends, and where the parameters travel (URL query or form body). */
  enum Signature {
    V1_HMAC_SHA1_QUERY(true, false),
    V1_HMAC_SHA1_FORM_BODY(true, true),
    V3_ACS3_HMAC_SHA256_QUERY(false, false),
    V3_ACS3_HMAC_SHA256_FORM_BODY(false, true);

    final boolean v1;
    final boolean body;

    Signature(boolean v1, boolean body) {
      this.v1 = v1;
      this.body = body;
    }
  }

  private final Signature signature;

  private final Client client;

  SdkClient(EciEmulator emulator, String accessKeyId, String secret, Signature signature) {
    this(emulator, accessKeyId, secret, signature, 10_000);
  }

  SdkClient(EciEmulator emulator, String accessKeyId, String secret, Signature signature, int readTimeoutMillis) {
    this(emulator, accessKeyId, secret, null, signature, readTimeoutMillis);
  }

  SdkClient(EciEmulator emulator, String accessKeyId, String secret, String securityToken, Signature signature, int readTimeoutMillis) {
    Config config = new Config()
        .setAccessKeyId(accessKeyId)
        .setAccessKeySecret(secret)
        .setRegionId(emulator.regionId())
        .setEndpoint(emulator.endpoint())
        .setProtocol("http")
        .setReadTimeout(readTimeoutMillis)
        .setConnectTimeout(5_000);
    this.signature = signature;
    if (securityToken != null) {
      config.setSecurityToken(securityToken);
    }
    if (signature.v1) {
      config.setSignatureAlgorithm("v2");
    }
    try {
      this.client = new Client(config);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, Object> call(String action, Map<String, ?> params) throws Exception {
    return call(action, params, Map.of());
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> call(String action, Map<String, ?> params, Map<String, String> headers) throws Exception {
    Params api = new Params()
        .setAction(action)
        .setVersion("2018-08-08")
        .setProtocol("HTTPS")
        .setPathname("/")
        .setMethod("POST")
        .setAuthType("AK")
        .setStyle("RPC")
        .setReqBodyType("formData")
        .setBodyType("json");
    OpenApiRequest request = signature.body
        ? new OpenApiRequest().setBody(new java.util.HashMap<>(params))
        : new OpenApiRequest().setQuery(com.aliyun.openapiutil.Client.query(params));
    if (!headers.isEmpty()) {
      request.setHeaders(new java.util.HashMap<>(headers));
    }
    Map<String, ?> response = client.callApi(api, request, new RuntimeOptions());
    return (Map<String, Object>) response.get("body");
  }

  /** The Code of the TeaException a call throws. */
  static String codeOf(Exception e) {
    if (e instanceof TeaException tea) {
      return tea.getCode();
    }
    throw new AssertionError("not a TeaException", e);
  }

  static int statusOf(Exception e) {
    return ((TeaException) e).getStatusCode();
  }
}
