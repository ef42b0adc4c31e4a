package io.vk4j.provider.fake;

import io.vk4j.api.GoDuration;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderContext;
import io.vk4j.api.ProviderFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Creates {@link FakeProvider}s for {@code --provider fake}. Options come from the properties file
 * given as {@code --provider-config} (keys named like {@link FakeProviderOptions}' methods, for
 * example {@code startDelay=2s}), then from the environment ({@code VK4J_FAKE_START_DELAY}...), which
 * wins; {@code VKUBELET_POD_IP} sets the host IP. See {@code docs/fake-provider.md}.
 */
public final class FakeProviderFactory implements ProviderFactory {

  /** Option name to how its text is applied, sorted by name for the error message. */
  private static final Map<String, BiConsumer<FakeProviderOptions.Builder, String>> KEYS = new TreeMap<>(Map.ofEntries(
      Map.entry("startDelay", (b, v) -> b.startDelay(GoDuration.parse(v))),
      Map.entry("createLatency", (b, v) -> b.createLatency(GoDuration.parse(v))),
      Map.entry("deleteLatency", (b, v) -> b.deleteLatency(GoDuration.parse(v))),
      Map.entry("failureRate", (b, v) -> b.failureRate(Double.parseDouble(v))),
      Map.entry("seed", (b, v) -> b.seed(Long.parseLong(v))),
      Map.entry("podCapacity", (b, v) -> b.podCapacity(Integer.parseInt(v))),
      Map.entry("cpuCapacity", (b, v) -> b.cpuCapacity(v)),
      Map.entry("memoryCapacity", (b, v) -> b.memoryCapacity(v)),
      Map.entry("podCidr", (b, v) -> b.podCidr(v)),
      Map.entry("hostIp", (b, v) -> b.hostIp(v)),
      Map.entry("restartBackoff", (b, v) -> b.restartBackoff(GoDuration.parse(v))),
      Map.entry("maxRestartBackoff", (b, v) -> b.maxRestartBackoff(GoDuration.parse(v))),
      Map.entry("deletedPodRetention", (b, v) -> b.deletedPodRetention(GoDuration.parse(v))),
      Map.entry("logLinesPerContainer", (b, v) -> b.logLinesPerContainer(Integer.parseInt(v)))));

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String description() {
    return "in-memory pods for demos and tests, scriptable with fake.vk4j.io/* annotations";
  }

  @Override
  public Provider create(ProviderContext context) throws InvalidInputException {
    return new FakeProvider(options(context), context.events());
  }

  /** The options a context asks for: defaults, then the config file, then the environment. */
  static FakeProviderOptions options(ProviderContext context) throws InvalidInputException {
    FakeProviderOptions.Builder builder = FakeProviderOptions.builder();
    if (context.configFile().isPresent()) {
      Path file = context.configFile().get();
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new InvalidInputException("InvalidProviderConfig", "cannot read the fake provider's config " + file + ": " + e);
      }
      for (String key : properties.stringPropertyNames()) {
        apply(builder, key, properties.getProperty(key).trim(), file.toString());
      }
    }
    for (String key : KEYS.keySet()) {
      String value = context.environment().get(environmentName(key));
      if (value != null) {
        apply(builder, key, value.trim(), "environment variable " + environmentName(key));
      }
    }
    String podIp = context.environment().get("VKUBELET_POD_IP");
    if (podIp != null && !podIp.isBlank() && context.environment().get(environmentName("hostIp")) == null) {
      builder.hostIp(podIp.trim());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidInputException("InvalidProviderConfig", "invalid fake provider options: " + e.getMessage());
    }
  }

  private static void apply(FakeProviderOptions.Builder builder, String key, String value, String source)
      throws InvalidInputException {
    BiConsumer<FakeProviderOptions.Builder, String> setter = KEYS.get(key);
    if (setter == null) {
      throw new InvalidInputException("InvalidProviderConfig", "unknown fake provider option '" + key + "' in "
          + source + "; known options: " + String.join(", ", KEYS.keySet()));
    }
    try {
      setter.accept(builder, value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("InvalidProviderConfig", "fake provider option " + key + "='" + value
          + "' in " + source + " is invalid: " + e.getMessage());
    }
  }

  /** {@code startDelay} becomes {@code VK4J_FAKE_START_DELAY}. */
  static String environmentName(String key) {
    return "VK4J_FAKE_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
