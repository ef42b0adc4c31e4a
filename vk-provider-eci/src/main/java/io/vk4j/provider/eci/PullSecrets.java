package io.vk4j.provider.eci;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.vk4j.api.ClusterResources;
import io.vk4j.api.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a pod's {@code imagePullSecrets} into ECI registry credentials. Both docker config types
 * are read ({@code kubernetes.io/dockerconfigjson} with its {@code auths} object, and the legacy
 * {@code kubernetes.io/dockercfg}), and entries that carry only {@code auth} (base64 of
 * {@code user:password}) are split. Like the kubelet, a secret that is missing or unreadable is a
 * warning, not a failure: the image may be public.
 */
final class PullSecrets {
  private PullSecrets() {}

  /** One registry login. */
  record Credential(String server, String userName, String password) {}

  record Result(List<Credential> credentials, List<String> warnings) {}

  static Result resolve(V1Pod pod, ClusterResources resources) throws ProviderException {
    List<V1LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
    Map<String, Credential> byServer = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    String namespace = pod.getMetadata().getNamespace();
    for (V1LocalObjectReference ref : refs == null ? List.<V1LocalObjectReference>of() : refs) {
      Optional<V1Secret> secret = resources.secret(namespace, ref.getName());
      if (secret.isEmpty()) {
        warnings.add("image pull secret " + namespace + "/" + ref.getName() + " does not exist; pulling without it");
        continue;
      }
      try {
        for (Credential credential : parse(secret.get())) {
          byServer.putIfAbsent(credential.server(), credential);
        }
      } catch (RuntimeException e) {
        warnings.add("image pull secret " + namespace + "/" + ref.getName() + " cannot be read: " + e.getMessage());
      }
    }
    return new Result(List.copyOf(byServer.values()), warnings);
  }

  /** The credentials in one docker config secret. */
  static List<Credential> parse(V1Secret secret) {
    Map<String, byte[]> data = secret.getData() == null ? Map.of() : secret.getData();
    JsonObject registries;
    if (data.containsKey(".dockerconfigjson")) {
      JsonObject config = JsonParser.parseString(new String(data.get(".dockerconfigjson"), StandardCharsets.UTF_8))
          .getAsJsonObject();
      registries = config.has("auths") ? config.getAsJsonObject("auths") : new JsonObject();
    } else if (data.containsKey(".dockercfg")) {
      registries = JsonParser.parseString(new String(data.get(".dockercfg"), StandardCharsets.UTF_8)).getAsJsonObject();
    } else {
      throw new IllegalArgumentException("it has neither .dockerconfigjson nor .dockercfg");
    }
    List<Credential> credentials = new ArrayList<>();
    for (Map.Entry<String, JsonElement> registry : registries.entrySet()) {
      JsonObject entry = registry.getValue().getAsJsonObject();
      String user = text(entry, "username");
      String password = text(entry, "password");
      if ((user == null || password == null) && text(entry, "auth") != null) {
        String decoded = new String(Base64.getDecoder().decode(text(entry, "auth").trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("the auth of " + registry.getKey() + " is not base64 of user:password");
        }
        user = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
      if (user == null || password == null) {
        throw new IllegalArgumentException("the entry of " + registry.getKey() + " has no username and password");
      }
      credentials.add(new Credential(server(registry.getKey()), user, password));
    }
    return credentials;
  }

  private static String text(JsonObject object, String key) {
    JsonElement value = object.get(key);
    return value == null || value.isJsonNull() || value.getAsString().isEmpty() ? null : value.getAsString();
  }

  /** ECI wants a bare registry host: {@code https://index.docker.io/v1/} becomes {@code index.docker.io}. */
  static String server(String key) {
    String server = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = server.indexOf('/');
    return slash < 0 ? server : server.substring(0, slash);
  }
}
