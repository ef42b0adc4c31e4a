package io.vk4j.api;

/**
 * Creates providers of one kind. Register implementations in
 * {@code META-INF/services/io.vk4j.api.ProviderFactory}; they are then selectable by
 * {@link #name()}, for example with {@code VirtualNodeMain --provider NAME}.
 */
public interface ProviderFactory {

  /** The name users select this provider by, for example {@code fake} or {@code eci}. */
  String name();

  /** One line for {@code --help}. */
  default String description() {
    return name();
  }

  /**
   * The value of the node's taint (key {@code virtual-kubelet.io/provider} by default) when the user sets
   * none: {@link #name()} unless the provider's users expect another (the ECI provider's nodes carry ACK's
   * {@code alibabacloud}).
   */
  default String defaultTaintValue() {
    return name();
  }

  /**
   * Creates a provider for one node. Invalid configuration fails here, with one message that says
   * what is wrong, as an {@link InvalidInputException}.
   */
  Provider create(ProviderContext context) throws ProviderException;
}
