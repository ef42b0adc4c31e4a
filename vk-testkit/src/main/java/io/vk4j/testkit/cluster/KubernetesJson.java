package io.vk4j.testkit.cluster;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * client-java 27 initialises every collection of its models to an empty one and sends it, so a
 * {@code new V1PodSpec()} goes out with {@code "overhead": {}}, which API servers reject on pod
 * creation ("Pod Overhead set without corresponding RuntimeClass defined Overhead"). Omitting empty
 * collections restores what Go clients send (a nil slice or map), without touching empty objects such
 * as {@code emptyDir: {}}.
 */
public final class KubernetesJson {
  private static boolean installed;

  private KubernetesJson() {}

  /** Makes client-java's (process-wide) serializer omit empty lists and maps. Idempotent. */
  public static synchronized void omitEmptyCollections() {
    if (!installed) {
      JSON.setGson(JSON.getGson().newBuilder().registerTypeAdapterFactory(new OmitEmpty()).create());
      installed = true;
    }
  }

  private static final class OmitEmpty implements TypeAdapterFactory {
    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
      Class<?> raw = type.getRawType();
      if (!Map.class.isAssignableFrom(raw) && !Collection.class.isAssignableFrom(raw)) {
        return null;
      }
      TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
      return new TypeAdapter<T>() {
        @Override
        public void write(JsonWriter out, T value) throws IOException {
          if (value == null || value instanceof Map<?, ?> map && map.isEmpty()
              || value instanceof Collection<?> collection && collection.isEmpty()) {
            out.nullValue();
          } else {
            delegate.write(out, value);
          }
        }

        @Override
        public T read(JsonReader in) throws IOException {
          return delegate.read(in);
        }
      };
    }
  }
}
