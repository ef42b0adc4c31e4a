package io.vk4j.api;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link ProviderFactory} implementations on the class path by name. */
public final class Providers {
  private Providers() {}

  /** Every factory visible to {@code classLoader}, by name. */
  public static Map<String, ProviderFactory> available(ClassLoader classLoader) {
    Map<String, ProviderFactory> byName = new TreeMap<>();
    for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, classLoader)) {
      ProviderFactory previous = byName.putIfAbsent(factory.name(), factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new IllegalStateException("two providers are named '" + factory.name() + "': "
            + previous.getClass().getName() + " and " + factory.getClass().getName());
      }
    }
    return byName;
  }

  /** The factory named {@code name}, from the context class loader. */
  public static ProviderFactory byName(String name) {
    return byName(name, Thread.currentThread().getContextClassLoader());
  }

  /**
   * The factory named {@code name}.
   *
   * @throws IllegalArgumentException naming the providers that are available when none has that name
   */
  public static ProviderFactory byName(String name, ClassLoader classLoader) {
    Map<String, ProviderFactory> available = available(classLoader);
    ProviderFactory factory = available.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("no provider named '" + name + "'; available: "
          + (available.isEmpty() ? "none (no ProviderFactory on the class path)" : String.join(", ", available.keySet())));
    }
    return factory;
  }
}
