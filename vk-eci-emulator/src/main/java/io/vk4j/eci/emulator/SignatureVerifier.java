package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableMap;
import com.google.common.io.BaseEncoding;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's signature as Alibaba's RPC gateway does, for both signatures the tea-openapi SDK
 * sends: V1 ({@code Signature} query parameter, HMAC-SHA1 over the sorted parameters) and V3
 * ({@code Authorization: ACS3-HMAC-SHA256 ...}, HMAC-SHA256 over a canonical request). Also refuses stale
 * timestamps and replayed nonces.
 */
final class SignatureVerifier {

  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final String ACS3 = "ACS3-HMAC-SHA256";

  /** Which signature a request carried. */
  enum Version {
    V1,
    V3
  }

  private final ImmutableMap<String, String> secretsByKeyId;
  private final ImmutableMap<String, String> securityTokensByKeyId;
  private final Clock clock;
  private final NonceCache nonces;

  SignatureVerifier(Map<String, String> secretsByKeyId, Map<String, String> securityTokensByKeyId, Clock clock, NonceCache nonces) {
    this.secretsByKeyId = ImmutableMap.copyOf(secretsByKeyId);
    this.securityTokensByKeyId = ImmutableMap.copyOf(securityTokensByKeyId);
    this.clock = clock;
    this.nonces = nonces;
  }

  /** Returns the signature version, or throws the error Alibaba would answer. */
  Version verify(RpcRequest request) {
    String authorization = request.header("authorization").orElse("");
    if (authorization.startsWith("ACS3-")) {
      verifyV3(request, authorization);
      return Version.V3;
    }
    if (request.params().containsKey("Signature")) {
      verifyV1(request);
      return Version.V1;
    }
    throw new ApiException(400, "MissingSignature", "The request is not signed: neither the Signature parameter nor an ACS3 Authorization header is present.");
  }

  private void verifyV1(RpcRequest request) {
    Map<String, String> params = request.params();
    String keyId = requiredParam(params, "AccessKeyId", "MissingAccessKeyId");
    String signature = requiredParam(params, "Signature", "MissingSignature");
    String nonce = requiredParam(params, "SignatureNonce", "MissingSignatureNonce");
    String timestamp = requiredParam(params, "Timestamp", "MissingTimestamp");
    String method = params.getOrDefault("SignatureMethod", "");
    if (!method.equals("HMAC-SHA1")) {
      throw new ApiException(400, "InvalidSignatureMethod", "The signature method \"" + method + "\" is not supported; use HMAC-SHA1.");
    }
    String version = params.getOrDefault("SignatureVersion", "");
    if (!version.equals("1.0")) {
      throw new ApiException(400, "InvalidSignatureVersion", "The signature version \"" + version + "\" is not supported; use 1.0.");
    }
    String secret = secretOf(keyId);
    checkSecurityToken(keyId, params.get("SecurityToken"));
    checkTimestamp(timestamp);
    String expected = v1Signature(request.method(), params, secret);
    if (!constantTimeEquals(expected, signature)) {
      throw signatureMismatch("V1 string to sign: " + v1StringToSign(request.method(), params));
    }
    checkNonce(keyId, nonce);
  }

  private void verifyV3(RpcRequest request, String authorization) {
    if (!authorization.startsWith(ACS3 + " ")) {
      throw new ApiException(400, "InvalidSignatureMethod", "Only " + ACS3 + " is supported among the ACS3 algorithms.");
    }
    Map<String, String> fields = new TreeMap<>();
    for (String part : authorization.substring(ACS3.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    String keyId = fields.get("Credential");
    String signedHeaders = fields.get("SignedHeaders");
    String signature = fields.get("Signature");
    if (keyId == null || signedHeaders == null || signature == null) {
      throw new ApiException(400, "IncompleteSignature", "The Authorization header must carry Credential, SignedHeaders and Signature.");
    }
    String secret = secretOf(keyId);
    checkSecurityToken(keyId, request.header("x-acs-security-token").orElse(null));
    String timestamp = request.header("x-acs-date").orElseThrow(() -> new ApiException(400, "MissingTimestamp", "The x-acs-date header is missing."));
    String nonce = request.header("x-acs-signature-nonce").orElseThrow(() -> new ApiException(400, "MissingSignatureNonce", "The x-acs-signature-nonce header is missing."));
    String payloadHash = request.header("x-acs-content-sha256").orElseThrow(() -> new ApiException(400, "IncompleteSignature", "The x-acs-content-sha256 header is missing."));
    List<String> signed = Arrays.asList(signedHeaders.split(";"));
    for (String required : List.of("host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-action", "x-acs-version")) {
      if (!signed.contains(required)) {
        throw new ApiException(400, "IncompleteSignature", "The header " + required + " must be signed (SignedHeaders: " + signedHeaders + ").");
      }
    }
    checkTimestamp(timestamp);
    String actualHash = hex(sha256(request.body()));
    if (!actualHash.equals(payloadHash.toLowerCase(Locale.ROOT))) {
      throw new ApiException(400, "ContentSHA256NotMatched", "The x-acs-content-sha256 header does not match the SHA-256 of the request body.");
    }
    String canonical = v3CanonicalRequest(request, signed, payloadHash);
    String stringToSign = ACS3 + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    String expected = hex(hmac("HmacSHA256", secret, stringToSign));
    if (!constantTimeEquals(expected, signature.toLowerCase(Locale.ROOT))) {
      throw signatureMismatch("V3 canonical request: " + canonical.replace("\n", "\\n"));
    }
    checkNonce(keyId, nonce);
  }

  private static String v3CanonicalRequest(RpcRequest request, List<String> signedHeaders, String payloadHash) {
    StringBuilder sb = new StringBuilder();
    sb.append(request.method()).append('\n').append(request.path()).append('\n');
    TreeMap<String, String> query = new TreeMap<>(request.query());
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> e : query.entrySet()) {
      pairs.add(percentEncode(e.getKey()) + "=" + (e.getValue().isEmpty() ? "" : percentEncode(e.getValue())));
    }
    sb.append(String.join("&", pairs)).append('\n');
    List<String> sortedHeaders = new ArrayList<>(signedHeaders);
    sortedHeaders.sort(null);
    for (String name : sortedHeaders) {
      String value = request.header(name.toLowerCase(Locale.ROOT))
          .orElseThrow(() -> new ApiException(400, "IncompleteSignature", "The signed header " + name + " is not present."));
      sb.append(name).append(':').append(value.trim()).append('\n');
    }
    sb.append('\n').append(String.join(";", sortedHeaders)).append('\n').append(payloadHash);
    return sb.toString();
  }

  static String v1Signature(String method, Map<String, String> params, String secret) {
    byte[] mac = hmac("HmacSHA1", secret + "&", v1StringToSign(method, params));
    return BaseEncoding.base64().encode(mac);
  }

  private static String v1StringToSign(String method, Map<String, String> params) {
    TreeMap<String, String> sorted = new TreeMap<>(params);
    sorted.remove("Signature");
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (!e.getValue().isEmpty()) {
        pairs.add(percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()));
      }
    }
    return method + "&" + percentEncode("/") + "&" + percentEncode(String.join("&", pairs));
  }

  /** RFC 3986 encoding as Alibaba's gateways apply it. */
  static String percentEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  private String secretOf(String keyId) {
    String secret = secretsByKeyId.get(keyId);
    if (secret == null) {
      throw new ApiException(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    return secret;
  }

  /** A key issued with an STS token must present that token; a permanent key must present none. */
  private void checkSecurityToken(String keyId, String presented) {
    String expected = securityTokensByKeyId.get(keyId);
    if (expected == null && presented != null && !presented.isEmpty()) {
      throw new ApiException(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to access key " + keyId + ".");
    }
    if (expected != null && (presented == null || presented.isEmpty())) {
      throw new ApiException(400, "MissingSecurityToken", "Access key " + keyId + " is temporary (STS): the SecurityToken is mandatory.");
    }
    if (expected != null && !constantTimeEquals(expected, presented)) {
      throw new ApiException(400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not match access key " + keyId + ".");
    }
  }

  private void checkTimestamp(String timestamp) {
    Instant sent;
    try {
      sent = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted: " + timestamp);
    }
    Duration skew = Duration.between(sent, clock.instant()).abs();
    if (skew.compareTo(MAX_SKEW) > 0) {
      throw new ApiException(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired: " + timestamp + " is " + skew.toSeconds() + " s away from the server time.");
    }
  }

  private void checkNonce(String keyId, String nonce) {
    if (!nonces.firstUse(keyId + "\n" + nonce)) {
      throw new ApiException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
  }

  private static ApiException signatureMismatch(String detail) {
    return new ApiException(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation. " + detail);
  }

  private static String requiredParam(Map<String, String> params, String name, String code) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw new ApiException(400, code, "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }
    return value;
  }

  private static byte[] hmac(String algorithm, String key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String hex(byte[] bytes) {
    return BaseEncoding.base16().lowerCase().encode(bytes);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
