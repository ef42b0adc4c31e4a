package io.vk4j.webhook;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.util.PatchUtils;
import io.vk4j.server.KeyMaterial;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the self-issued CA into the caBundle of every webhook of our MutatingWebhookConfiguration.
 * Replicas each issue their own CA, so the bundle is a union: ours is added, the others' are kept
 * (expired ones and all but the newest {@value #MAX_CAS} dropped). The patch is guarded by a
 * {@code test} of resourceVersion, so two replicas starting together cannot lose each other's CA.
 */
final class CaBundleInjector {

  static final int MAX_CAS = 8;
  private static final Logger LOG = LoggerFactory.getLogger(CaBundleInjector.class);
  private static final int ATTEMPTS = 5;

  private final ApiClient client;
  private final AdmissionregistrationV1Api api;
  private final String configurationName;

  CaBundleInjector(ApiClient client, String configurationName) {
    this.client = client;
    this.api = new AdmissionregistrationV1Api(client);
    this.configurationName = configurationName;
  }

  /** Returns normally once every webhook of the configuration trusts {@code ca}. */
  void inject(X509Certificate ca) throws ApiException {
    ApiException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      V1MutatingWebhookConfiguration configuration = api.readMutatingWebhookConfiguration(configurationName).execute();
      JsonArray patch = new JsonArray();
      patch.add(op("test", "/metadata/resourceVersion", configuration.getMetadata().getResourceVersion()));
      List<V1MutatingWebhook> webhooks = configuration.getWebhooks() == null ? List.of() : configuration.getWebhooks();
      for (int i = 0; i < webhooks.size(); i++) {
        byte[] current = webhooks.get(i).getClientConfig().getCaBundle();
        String merged = mergedBundle(current, ca);
        if (current == null || !merged.equals(new String(current, StandardCharsets.US_ASCII))) {
          patch.add(op("add", "/webhooks/" + i + "/clientConfig/caBundle",
              Base64.getEncoder().encodeToString(merged.getBytes(StandardCharsets.US_ASCII))));
        }
      }
      if (patch.size() == 1) {
        LOG.debug("caBundle of MutatingWebhookConfiguration {} already trusts our CA", configurationName);
        return;
      }
      try {
        PatchUtils.patch(V1MutatingWebhookConfiguration.class,
            () -> api.patchMutatingWebhookConfiguration(configurationName, new V1Patch(patch.toString())).buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_PATCH, client);
        LOG.info("wrote our CA into the caBundle of MutatingWebhookConfiguration {}", configurationName);
        return;
      } catch (ApiException e) {
        last = e;
        LOG.debug("caBundle patch attempt {} failed ({}), re-reading", attempt, e.getCode());
      }
    }
    throw last;
  }

  /** The PEM bundle: still-valid CAs of other replicas (newest first, bounded) plus ours. */
  static String mergedBundle(byte[] currentPem, X509Certificate ours) {
    List<X509Certificate> keep = new ArrayList<>();
    Date now = new Date();
    for (X509Certificate existing : parse(currentPem)) {
      if (!existing.equals(ours) && existing.getNotAfter().after(now) && !keep.contains(existing)) {
        keep.add(existing);
      }
    }
    keep.sort(Comparator.comparing(X509Certificate::getNotBefore).reversed());
    List<X509Certificate> bundle = new ArrayList<>(keep.subList(0, Math.min(keep.size(), MAX_CAS - 1)));
    bundle.add(ours);
    bundle.sort(Comparator.comparing(X509Certificate::getNotBefore).thenComparing(c -> c.getSerialNumber()));
    return KeyMaterial.pem(bundle.toArray());
  }

  static List<X509Certificate> parse(byte[] pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    if (pem == null || pem.length == 0) {
      return certificates;
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      LOG.warn("the existing caBundle is not a PEM certificate list; replacing it: {}", e.getMessage());
    }
    return certificates;
  }

  private static JsonObject op(String op, String path, String value) {
    JsonObject operation = new JsonObject();
    operation.addProperty("op", op);
    operation.addProperty("path", path);
    operation.addProperty("value", value);
    return operation;
  }
}
