package io.vk4j.provider.eci;

import java.util.Optional;
import org.immutables.value.Value;

/** How the provider authenticates: an AccessKey pair (with an STS token), or the host's RAM role. */
@Value.Immutable
abstract class EciCredentials {

  abstract Optional<String> accessKeyId();

  abstract Optional<String> accessKeySecret();

  abstract Optional<String> securityToken();

  abstract Optional<String> ramRoleName();

  @Value.Check
  protected void check() {
    if (accessKeyId().isPresent() == ramRoleName().isPresent()) {
      throw new IllegalArgumentException("exactly one of an AccessKey and a RAM role is needed");
    }
  }

  static EciCredentials accessKey(String id, String secret, Optional<String> securityToken) {
    return builder().accessKeyId(id).accessKeySecret(secret).securityToken(securityToken).build();
  }

  static EciCredentials ramRole(String roleName) {
    return builder().ramRoleName(roleName).build();
  }

  @Override
  public String toString() {
    // never print the secret
    return ramRoleName().map(r -> "RamRole[" + r + "]")
        .orElse("AccessKey[" + accessKeyId().orElse("") + (securityToken().isPresent() ? ", STS" : "") + "]");
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableEciCredentials.Builder {}
}
