package io.vk4j.runtime.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.kubernetes.client.openapi.JSON;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;

/**
 * A leaner setup of client-java's process-wide JSON mapper ({@link JSON#setGson}), for processes
 * that handle thousands of pods.
 *
 * <p>client-java 27 registers a type adapter per model class that first reads the whole object into
 * a JSON tree, checks the tree against the model (unknown and required fields), and only then binds
 * it; since every nested model does the same with its subtree, a pod's leaves are copied and checked
 * once per level of nesting. Here the models are bound by Gson's reflective adapters in one pass,
 * with client-java's own adapters for dates, byte arrays, {@code Quantity} and {@code IntOrString}
 * and its exclusion of {@code managedFields}. What the API server sends is bound as before; fields
 * the model does not know are ignored instead of refused, as Go clients do.
 *
 * <p>{@code -Dvk4j.json=client-java} keeps client-java's own mapper (for comparison, or should a
 * model ever need its generated adapter).
 */
public final class LeanJson {
  private static final List<Class<?>> CLIENT_ADAPTED = List.of(Date.class, java.sql.Date.class,
      OffsetDateTime.class, LocalDate.class, byte[].class);
  private static boolean installed;
  private static Gson standalone;

  private LeanJson() {}

  /** Replaces client-java's mapper with the lean one, unless {@code vk4j.json=client-java}. Idempotent. */
  public static synchronized void install() {
    if (installed || "client-java".equals(System.getProperty("vk4j.json"))) {
      return;
    }
    JSON.setGson(leanerThan(JSON.getGson()));
    installed = true;
  }

  /**
   * The lean mapper, for code that decodes on its own: client-java's mapper once {@link #install()}
   * replaced it, else one of the same kind (client-java's stays as it is).
   */
  public static synchronized Gson mapper() {
    if (installed) {
      return JSON.getGson();
    }
    if (standalone == null) {
      standalone = leanerThan(JSON.getGson());
    }
    return standalone;
  }

  /** A mapper that binds models reflectively, with {@code standard}'s adapters for the rest. */
  static Gson leanerThan(Gson standard) {
    GsonBuilder lean = JSON.createGson(); // client-java's pre-processors and managedFields exclusion
    for (Class<?> type : CLIENT_ADAPTED) {
      lean.registerTypeAdapter(type, standard.getAdapter(type));
    }
    return lean.create();
  }
}
