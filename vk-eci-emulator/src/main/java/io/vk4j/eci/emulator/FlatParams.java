package io.vk4j.eci.emulator;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The RPC parameters of one request, read the way ECI reads them: {@code Container.1.Command.2=sh} is the
 * second command word of the first container. A view is either the whole request or one indexed element
 * ({@code Container.1}) or one nested object ({@code Container.1.ReadinessProbe}).
 */
final class FlatParams {

  /** Indexes above this are refused: they only serve to make the emulator allocate. */
  static final int MAX_INDEX = 1000;

  private final Map<String, Object> node;
  private final String path;

  private FlatParams(Map<String, Object> node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Builds the tree; a key that is both a value and a parent, or a bad index, is an InvalidParameter. */
  static FlatParams of(Map<String, String> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
      insert(root, e.getKey(), e.getValue());
    }
    return new FlatParams(root, "");
  }

  @SuppressWarnings("unchecked")
  private static void insert(Map<String, Object> root, String key, String value) {
    String[] segments = key.split("\\.", -1);
    Map<String, Object> current = root;
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty()) {
        throw ApiException.invalidParameter(key, "empty name segment");
      }
      if (isIndex(segment)) {
        int index = Integer.parseInt(segment);
        if (index < 1 || index > MAX_INDEX) {
          throw ApiException.invalidParameter(key, "index must be between 1 and " + MAX_INDEX);
        }
        segment = Integer.toString(index);
      }
      boolean last = i == segments.length - 1;
      Object existing = current.get(segment);
      if (last) {
        if (existing instanceof Map) {
          throw ApiException.invalidParameter(key, "is both a value and a parent of other parameters");
        }
        current.put(segment, value);
      } else {
        if (existing instanceof String) {
          throw ApiException.invalidParameter(key, "is both a value and a parent of other parameters");
        }
        if (existing == null) {
          existing = new LinkedHashMap<String, Object>();
          current.put(segment, existing);
        }
        current = (Map<String, Object>) existing;
      }
    }
  }

  private static boolean isIndex(String segment) {
    if (segment.isEmpty() || segment.length() > 9) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return node.containsKey(name);
  }

  Optional<String> string(String name) {
    Object value = node.get(name);
    if (value instanceof Map) {
      throw ApiException.invalidParameter(child(name), "must be a single value");
    }
    return Optional.ofNullable((String) value).filter(v -> !v.isEmpty());
  }

  String required(String name) {
    return string(name).orElseThrow(() -> ApiException.missingParameter(child(name)));
  }

  OptionalDouble number(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      double d = Double.parseDouble(value.get());
      if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
        throw new NumberFormatException();
      }
      return OptionalDouble.of(d);
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter(child(name), "not a non-negative number: " + value.get());
    }
  }

  OptionalInt integer(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(value.get().trim()));
    } catch (NumberFormatException e) {
      throw ApiException.invalidParameter(child(name), "not an integer: " + value.get());
    }
  }

  Optional<Boolean> bool(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get().trim();
    if (v.equalsIgnoreCase("true")) {
      return Optional.of(true);
    }
    if (v.equalsIgnoreCase("false")) {
      return Optional.of(false);
    }
    throw ApiException.invalidParameter(child(name), "not a boolean: " + v);
  }

  /** {@code Name.1}, {@code Name.2}, ... as strings, in index order. */
  List<String> strings(String name) {
    Object value = node.get(name);
    if (value == null) {
      return ImmutableList.of();
    }
    if (!(value instanceof Map)) {
      throw ApiException.invalidParameter(child(name), "must be a list: " + name + ".1, " + name + ".2, ...");
    }
    List<String> result = new ArrayList<>();
    for (Map.Entry<Integer, Object> e : indexed(name, value).entrySet()) {
      if (!(e.getValue() instanceof String)) {
        throw ApiException.invalidParameter(child(name) + "." + e.getKey(), "must be a single value");
      }
      result.add((String) e.getValue());
    }
    return result;
  }

  /** {@code Name.1.*}, {@code Name.2.*}, ... as views, in index order. */
  @SuppressWarnings("unchecked")
  List<FlatParams> list(String name) {
    Object value = node.get(name);
    if (value == null) {
      return ImmutableList.of();
    }
    if (!(value instanceof Map)) {
      throw ApiException.invalidParameter(child(name), "must be a list: " + name + ".1.*, " + name + ".2.*, ...");
    }
    List<FlatParams> result = new ArrayList<>();
    for (Map.Entry<Integer, Object> e : indexed(name, value).entrySet()) {
      if (!(e.getValue() instanceof Map)) {
        throw ApiException.invalidParameter(child(name) + "." + e.getKey(), "must have fields");
      }
      result.add(new FlatParams((Map<String, Object>) e.getValue(), child(name) + "." + e.getKey()));
    }
    return result;
  }

  /** {@code Name.*} as a view; empty when absent. */
  @SuppressWarnings("unchecked")
  FlatParams object(String name) {
    Object value = node.get(name);
    if (value == null) {
      return new FlatParams(Map.of(), child(name));
    }
    if (!(value instanceof Map)) {
      throw ApiException.invalidParameter(child(name), "must have fields");
    }
    return new FlatParams((Map<String, Object>) value, child(name));
  }

  boolean isEmpty() {
    return node.isEmpty();
  }

  String path() {
    return path;
  }

  @SuppressWarnings("unchecked")
  private TreeMap<Integer, Object> indexed(String name, Object value) {
    TreeMap<Integer, Object> byIndex = new TreeMap<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
      if (!isIndex(e.getKey())) {
        throw ApiException.invalidParameter(child(name) + "." + e.getKey(), "expected an index 1.." + MAX_INDEX);
      }
      byIndex.put(Integer.parseInt(e.getKey()), e.getValue());
    }
    return byIndex;
  }
}
