package io.vk4j.runtime.internal.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.vk4j.api.InvalidInputException;
import io.vk4j.api.RetryableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The caches in front of the API server's reads. */
class ApiClusterResourcesTest {

  /** An API server with the Secrets the test puts in it, counting the reads. */
  private static final class Reads implements ApiClusterResources.Reads {
    final Map<String, V1Secret> secrets = new ConcurrentHashMap<>();
    final AtomicInteger secretReads = new AtomicInteger();
    volatile int failWith;

    @Override
    public Optional<V1Secret> secret(String namespace, String name) throws ApiException {
      secretReads.incrementAndGet();
      if (failWith != 0) {
        throw new ApiException(failWith, Map.of(), "{\"message\":\"secrets \\\"" + name + "\\\" is forbidden: User"
            + " \\\"system:serviceaccount:kube-system:vk\\\" cannot get resource \\\"secrets\\\"\"}");
      }
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    @Override
    public Optional<V1ConfigMap> configMap(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<V1Service> service(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public List<V1Service> services(String namespace) {
      return List.of();
    }

    @Override
    public AuthenticationV1TokenRequest token(String namespace, String account, AuthenticationV1TokenRequest request) {
      return request;
    }
  }

  private final Reads reads = new Reads();
  private final ApiClusterResources resources =
      new ApiClusterResources(reads, Duration.ofMinutes(5), Duration.ofMinutes(5), 16);

  @Test
  void aSecretCreatedJustAfterItWasMissingIsSeenAtOnce() throws Exception {
    assertThat(resources.secret("ns", "db")).isEmpty();

    reads.secrets.put("ns/db", new V1Secret().metadata(new V1ObjectMeta().name("db")));

    assertThat(resources.secret("ns", "db")).isPresent();
  }

  @Test
  void aSecretThatExistsIsReadOnceForABurst() throws Exception {
    reads.secrets.put("ns/db", new V1Secret().metadata(new V1ObjectMeta().name("db")));

    for (int i = 0; i < 5; i++) {
      assertThat(resources.secret("ns", "db")).isPresent();
    }

    assertThat(reads.secretReads).hasValue(1);
  }

  @Test
  void anRbacDenialIsAForbiddenInvalidInputNamingWhatMayNotBeRead() {
    reads.failWith = 403;

    assertThatThrownBy(() -> resources.secret("ns", "db"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.reason()).isEqualTo("Forbidden");
          assertThat(e.getMessage()).startsWith("the virtual node may not get secret ns/db (HTTP 403: secrets \"db\""
              + " is forbidden");
        });
  }

  @Test
  void otherFailuresAreRetryable() {
    reads.failWith = 503;

    assertThatThrownBy(() -> resources.secret("ns", "db")).isInstanceOf(RetryableException.class)
        .hasMessageContaining("HTTP 503");
  }
}
