package io.vk4j.runtime.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Map;

/**
 * A leaner setup of client-java's process-wide JSON mapper ({@link JSON#setGson}), for processes
 * that handle thousands of pods.
 *
 * <p>client-java 27 registers a type adapter per model class that first reads the whole object into
 * a JSON tree, checks the tree against the model (unknown and required fields), and only then binds
 * it; since every nested model does the same with its subtree, a pod's leaves are copied and checked
 * once per level of nesting. Here the models are bound by Gson's reflective adapters in one pass,
 * with client-java's own adapters for dates (UTC date-times, the API server's only form, read and
 * written by {@link UtcTimeAdapter}), byte arrays, {@code Quantity} (each text parsed and each
 * instance formatted once, by {@link SharedQuantities}) and {@code IntOrString} and its exclusion of
 * {@code managedFields}. What the API server sends is bound as before; fields
 * the model does not know are ignored instead of refused, as Go clients do.
 *
 * <p>{@code -Dvk4j.json=client-java} keeps client-java's own mapper (for comparison, or should a
 * model ever need its generated adapter).
 */
public final class LeanJson {
  /**
   * The types client-java adapts itself, each with the static field of {@link JSON} holding its
   * adapter; date-times too, behind {@link UtcTimeAdapter}.
   */
  private static final Map<Class<?>, String> CLIENT_ADAPTED = Map.of(Date.class, "dateTypeAdapter",
      java.sql.Date.class, "sqlDateTypeAdapter", LocalDate.class, "localDateTypeAdapter",
      byte[].class, "byteArrayAdapter");
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
    CLIENT_ADAPTED.forEach((type, field) -> lean.registerTypeAdapter(type, clientAdapter(standard, type, field)));
    @SuppressWarnings("unchecked")
    TypeAdapter<OffsetDateTime> clientTimes =
        (TypeAdapter<OffsetDateTime>) clientAdapter(standard, OffsetDateTime.class, "offsetDateTimeTypeAdapter");
    lean.registerTypeAdapter(OffsetDateTime.class, new UtcTimeAdapter(clientTimes));
    lean.registerTypeAdapter(Quantity.class, new SharedQuantities());
    return lean.create();
  }

  /**
   * client-java's own adapter instance from {@link JSON}'s static fields (its format setters change
   * these instances). Asking {@code standard.getAdapter} instead costs a class load per model: Gson
   * tries the factories registered last first, and each of the 768 model factories loads its model
   * class to check the type, megabytes of class metadata a node never uses. Should a later
   * client-java rename the fields, the lookup is the fallback.
   */
  private static Object clientAdapter(Gson standard, Class<?> type, String fieldName) {
    try {
      java.lang.reflect.Field field = JSON.class.getDeclaredField(fieldName);
      field.setAccessible(true);
      Object adapter = field.get(null);
      if (adapter != null) {
        return adapter;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // fall through to the lookup
    }
    return standard.getAdapter(type);
  }
}
