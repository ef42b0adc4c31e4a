package io.vk4j.provider.eci;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Writes an ECI request's parameters in the flat RPC form ({@code Container.1.Command.2=...}).
 * A child writer shares the map and prefixes its keys; lists are numbered from 1.
 */
final class EciParams {
  private final SortedMap<String, String> values;
  private final String prefix;

  EciParams() {
    this(new TreeMap<>(), "");
  }

  private EciParams(SortedMap<String, String> values, String prefix) {
    this.values = values;
    this.prefix = prefix;
  }

  EciParams put(String key, Object value) {
    if (value != null) {
      values.put(prefix + key, value.toString());
    }
    return this;
  }

  EciParams child(String key) {
    return new EciParams(values, prefix + key + ".");
  }

  /** {@code key.1}, {@code key.2}, ... for plain values. */
  EciParams putList(String key, List<?> items) {
    if (items != null) {
      for (int i = 0; i < items.size(); i++) {
        put(key + "." + (i + 1), items.get(i));
      }
    }
    return this;
  }

  /** {@code key.1.*}, {@code key.2.*}, ... for structured items. */
  <T> EciParams putEach(String key, List<T> items, BiConsumer<EciParams, T> writer) {
    if (items != null) {
      for (int i = 0; i < items.size(); i++) {
        writer.accept(child(key + "." + (i + 1)), items.get(i));
      }
    }
    return this;
  }

  boolean has(String key) {
    return values.containsKey(prefix + key);
  }

  /** Every parameter written through this writer or its children. */
  Map<String, String> toMap() {
    return Collections.unmodifiableSortedMap(values);
  }
}
