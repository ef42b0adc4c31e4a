package io.vk4j.runtime.internal.pod;

import com.google.gson.Gson;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deep copies of client-java's models, field by field. A copy through JSON formats and parses every
 * value again: 133-152 microseconds of CPU for a bound one-container pod in a JVM that runs C1 only,
 * against 29-35 here ({@code PodJsonCost}). Values that cannot change are shared: strings, boxed
 * primitives, times, {@link Quantity} and {@link IntOrString}. A type that is none of these, a list,
 * a map or a model goes through JSON as before.
 */
final class ModelCopy {
  private static final String MODELS = "io.kubernetes.client.openapi.models";
  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Integer.class, Long.class,
      Double.class, Float.class, Short.class, Byte.class, Character.class, BigDecimal.class, BigInteger.class,
      OffsetDateTime.class, LocalDate.class, Quantity.class, IntOrString.class);
  private static final ClassValue<Copier> COPIERS = new ClassValue<>() {
    @Override
    protected Copier computeValue(Class<?> type) {
      return MODELS.equals(type.getPackageName()) ? ModelCopier.of(type) : new JsonCopier(type);
    }
  };

  private ModelCopy() {}

  /** A copy that shares nothing changeable with {@code value}; {@code null} for {@code null}. */
  @SuppressWarnings("unchecked")
  static <T> T of(T value) {
    return (T) copy(value);
  }

  private static Object copy(Object value) {
    if (value == null) {
      return null;
    }
    Class<?> type = value.getClass();
    if (IMMUTABLE.contains(type) || type.isEnum()) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(copy(item));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.put(entry.getKey(), copy(entry.getValue()));
      }
      return out;
    }
    if (value instanceof byte[] bytes) {
      return bytes.clone();
    }
    return COPIERS.get(type).copy(value);
  }

  private interface Copier {
    Object copy(Object value);
  }

  /** A model: a new instance from its no-argument constructor, every instance field copied. */
  private record ModelCopier(Constructor<?> constructor, Field[] fields) implements Copier {
    static Copier of(Class<?> type) {
      try {
        Constructor<?> constructor = type.getDeclaredConstructor();
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
          for (Field field : c.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
              field.setAccessible(true);
              fields.add(field);
            }
          }
        }
        constructor.setAccessible(true);
        return new ModelCopier(constructor, fields.toArray(Field[]::new));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new JsonCopier(type); // not a plain model after all
      }
    }

    @Override
    public Object copy(Object value) {
      try {
        Object out = constructor.newInstance();
        for (Field field : fields) {
          // set even when null: a field may have an initial value the original no longer has
          field.set(out, ModelCopy.copy(field.get(value)));
        }
        return out;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot copy a " + value.getClass().getName(), e);
      }
    }
  }

  /** Anything else: through client-java's JSON mapper, as all copies once were. */
  private record JsonCopier(Class<?> type) implements Copier {
    @Override
    public Object copy(Object value) {
      Gson gson = JSON.getGson();
      return gson.fromJson(gson.toJsonTree(value), type);
    }
  }
}
