package io.vk4j.provider.eci;

/** Builds the {@code credentials-java} client for the configured credentials. */
final class CredentialsFactory {
  private CredentialsFactory() {}

  static com.aliyun.credentials.Client create(EciCredentials credentials) throws EciApiException {
    com.aliyun.credentials.models.Config config = new com.aliyun.credentials.models.Config();
    if (credentials.ramRoleName().isPresent()) {
      // ECS instance metadata: the role of the host the controller runs on, refreshed by the library
      config.setType("ecs_ram_role");
      config.setRoleName(credentials.ramRoleName().get());
    } else if (credentials.securityToken().isPresent()) {
      config.setType("sts");
      config.setAccessKeyId(credentials.accessKeyId().orElseThrow());
      config.setAccessKeySecret(credentials.accessKeySecret().orElseThrow());
      config.setSecurityToken(credentials.securityToken().get());
    } else {
      config.setType("access_key");
      config.setAccessKeyId(credentials.accessKeyId().orElseThrow());
      config.setAccessKeySecret(credentials.accessKeySecret().orElseThrow());
    }
    try {
      return new com.aliyun.credentials.Client(config);
    } catch (RuntimeException e) {
      throw new EciApiException("InvalidCredentials", 0, "cannot set up " + credentials + ": " + e.getMessage(), null, e);
    }
  }
}
