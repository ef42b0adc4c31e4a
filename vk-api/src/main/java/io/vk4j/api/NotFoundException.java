package io.vk4j.api;

/** The backend has no such pod or container. Counts as success for {@link Provider#deletePod}. */
public class NotFoundException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super("NotFound", message);
  }
}
