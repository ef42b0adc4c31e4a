package io.vk4j.webhook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an AdmissionReview v1 request body into the response: validates the envelope, asks
 * {@link PodMutator} and wraps its patch. Transport-free, so golden tests drive it directly.
 * Dry-run requests are answered the same way: the webhook has no side effects.
 */
final class AdmissionController {

  static final String API_VERSION = "admission.k8s.io/v1";
  static final String KIND = "AdmissionReview";

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionController.class);
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final Supplier<AffinityConfig> config;
  private final NamespaceLabels namespaces;

  AdmissionController(Supplier<AffinityConfig> config, NamespaceLabels namespaces) {
    this.config = config;
    this.namespaces = namespaces;
  }

  /** An HTTP answer: status code and JSON body. */
  record Reply(int status, String body) {}

  /** The answer to a review; may wait, up to the deadline, to learn a namespace's labels. */
  Reply review(byte[] body, long deadlineNanos) {
    return review(body, deadlineNanos, true).orElseThrow();
  }

  /**
   * The answer, if it can be given without waiting for anything (what the labels of namespaces
   * in the watch cache allow: nearly always); empty when only {@link #review} can answer.
   */
  Optional<Reply> reviewAtOnce(byte[] body, long deadlineNanos) {
    return review(body, deadlineNanos, false);
  }

  private Optional<Reply> review(byte[] body, long deadlineNanos, boolean mayWait) {
    try {
      return Optional.of(reviewOrThrow(body, deadlineNanos, mayWait));
    } catch (WouldWait e) {
      return Optional.empty();
    } catch (BadReviewException e) {
      LOG.info("rejected an admission review: {}", e.getMessage());
      return Optional.of(failure(400, "BadRequest", e.getMessage()));
    }
  }

  private Reply reviewOrThrow(byte[] body, long deadlineNanos, boolean mayWait) {
    JsonObject review = parseObject(body);
    String apiVersion = stringField(review, "apiVersion");
    String kind = stringField(review, "kind");
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw new BadReviewException("expected kind " + KIND + " of " + API_VERSION + ", got kind '" + kind
          + "' of '" + apiVersion + "'");
    }
    if (!(review.get("request") instanceof JsonObject request)) {
      throw new BadReviewException("the AdmissionReview has no request object");
    }
    String uid = stringField(request, "uid");
    if (uid.isEmpty()) {
      throw new BadReviewException("request.uid is missing");
    }
    if (!(request.get("kind") instanceof JsonObject requestKind)
        || !stringField(requestKind, "group").isEmpty()
        || !"v1".equals(stringField(requestKind, "version"))
        || !"Pod".equals(stringField(requestKind, "kind"))) {
      throw new BadReviewException("only core/v1 Pod is handled, got request.kind " + request.get("kind"));
    }
    String operation = stringField(request, "operation");
    String subResource = stringField(request, "subResource");
    if (!"CREATE".equals(operation) || !subResource.isEmpty()) {
      return allowed(uid, Mutation.skip("operation " + operation + " " + subResource + " is not steered"));
    }
    if (!(request.get("object") instanceof JsonObject pod)) {
      throw new BadReviewException("request.object is missing or not a Pod object");
    }
    String namespace = stringField(request, "namespace");
    if (namespace.isEmpty() && pod.get("metadata") instanceof JsonObject metadata) {
      namespace = stringField(metadata, "namespace");
    }
    if (namespace.isEmpty()) {
      throw new BadReviewException("request.namespace is missing");
    }
    String ns = namespace;
    Mutation mutation;
    try {
      mutation = PodMutator.mutate(pod, ns, config.get(), mayWait
          ? () -> namespaces.labelsOf(ns, deadlineNanos)
          : () -> namespaces.cachedLabelsOf(ns).map(Optional::of).orElseThrow(() -> WouldWait.INSTANCE));
    } catch (JsonPatchBuilder.BadPodException e) {
      throw new BadReviewException("request.object: " + e.getMessage());
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} {}/{}: {}{}", uid, ns, podName(pod), mutation.decision(),
          mutation.patch().isEmpty() ? "" : " " + mutation.patch());
    }
    return allowed(uid, mutation);
  }

  private static Reply allowed(String uid, Mutation mutation) {
    JsonObject response = new JsonObject();
    response.addProperty("uid", uid);
    response.addProperty("allowed", true);
    if (!mutation.patch().isEmpty()) {
      response.addProperty("patchType", "JSONPatch");
      response.addProperty("patch", Base64.getEncoder().encodeToString(
          GSON.toJson(mutation.patch()).getBytes(StandardCharsets.UTF_8)));
    }
    if (!mutation.warnings().isEmpty()) {
      JsonArray warnings = new JsonArray();
      mutation.warnings().forEach(warnings::add);
      response.add("warnings", warnings);
    }
    JsonObject review = new JsonObject();
    review.addProperty("apiVersion", API_VERSION);
    review.addProperty("kind", KIND);
    review.add("response", response);
    return new Reply(200, GSON.toJson(review));
  }

  /** A Kubernetes Status object, so the API server's log shows our reason. */
  static Reply failure(int code, String reason, String message) {
    JsonObject status = new JsonObject();
    status.addProperty("apiVersion", "v1");
    status.addProperty("kind", "Status");
    status.addProperty("status", "Failure");
    status.addProperty("reason", reason);
    status.addProperty("message", message);
    status.addProperty("code", code);
    return new Reply(code, GSON.toJson(status));
  }

  private static JsonObject parseObject(byte[] body) {
    if (body.length == 0) {
      throw new BadReviewException("the request body is empty");
    }
    JsonElement parsed;
    try (JsonReader reader = new JsonReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
      reader.setStrictness(Strictness.STRICT);
      parsed = GSON.getAdapter(JsonElement.class).read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadReviewException("the request body has data after the JSON document");
      }
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new BadReviewException("the request body is not valid JSON: " + rootMessage(e));
    }
    if (!parsed.isJsonObject()) {
      throw new BadReviewException("the request body is not a JSON object");
    }
    return parsed.getAsJsonObject();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    // Gson appends a troubleshooting link and names its own API: keep the position only
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    return message.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
  }

  private static String stringField(JsonObject object, String name) {
    JsonElement element = object.get(name);
    if (element == null || element.isJsonNull()) {
      return "";
    }
    if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
      throw new BadReviewException(name + " must be a string");
    }
    return element.getAsString();
  }

  private static String podName(JsonObject pod) {
    if (pod.get("metadata") instanceof JsonObject metadata) {
      String name = Optional.ofNullable(metadata.get("name")).filter(JsonElement::isJsonPrimitive)
          .map(JsonElement::getAsString).orElse("");
      if (name.isEmpty()) {
        return Optional.ofNullable(metadata.get("generateName")).filter(JsonElement::isJsonPrimitive)
            .map(e -> e.getAsString() + "*").orElse("?");
      }
      return name;
    }
    return "?";
  }

  /** A review without waiting needed a namespace read: it is abandoned, to be done by {@link #review}. */
  private static final class WouldWait extends RuntimeException {
    static final WouldWait INSTANCE = new WouldWait();

    private WouldWait() {
      super("a namespace read is needed", null, false, false);
    }
  }

  /** The review cannot be answered: the caller gets a 400 with this message. */
  static final class BadReviewException extends RuntimeException {
    BadReviewException(String message) {
      super(message);
    }
  }
}
