package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vk4j.api.ContainerLogOptions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerLogQueryTest {

  private static ContainerLogOptions parse(String query) throws HttpError {
    return ContainerLogQuery.parse(QueryParameters.parse(query));
  }

  @Test
  void noParametersGiveTheDefaults() throws HttpError {
    assertThat(parse(null)).isEqualTo(ContainerLogOptions.defaults());
  }

  @Test
  void readsEveryParameterKubectlSends() throws HttpError {
    ContainerLogOptions options = parse(
        "tailLines=10&limitBytes=2048&follow=true&previous=1&timestamps=True&sinceSeconds=30");

    assertThat(options.tailLines()).hasValue(10);
    assertThat(options.limitBytes()).hasValue(2048);
    assertThat(options.sinceSeconds()).hasValue(30);
    assertThat(options.follow()).isTrue();
    assertThat(options.previous()).isTrue();
    assertThat(options.timestamps()).isTrue();
  }

  @Test
  void sinceTimeAcceptsRfc3339WithZoneOrOffset() throws HttpError {
    assertThat(parse("sinceTime=2026-01-02T03:04:05Z").sinceTime())
        .contains(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(parse("sinceTime=2026-01-02T05:04:05.5%2B02:00").sinceTime())
        .contains(Instant.parse("2026-01-02T03:04:05.5Z"));
  }

  @Test
  void falseValuesAndBareFlags() throws HttpError {
    assertThat(parse("follow=false&timestamps=0").follow()).isFalse();
    assertThat(parse("follow").follow()).isTrue();
  }

  @Test
  void unknownParametersAreIgnored() throws HttpError {
    assertThat(parse("insecureSkipTLSVerifyBackend=true&pretty=1")).isEqualTo(ContainerLogOptions.defaults());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "tailLines=ten|tailLines: not an integer: 'ten'",
      "tailLines=99999999999|tailLines: too large",
      "limitBytes=1.5|limitBytes: not an integer",
      "follow=yes|follow: not a boolean: 'yes'",
      "previous=2|previous: not a boolean",
      "sinceTime=yesterday|sinceTime: not an RFC 3339 time",
      "sinceSeconds=abc|sinceSeconds: not an integer",
      "tailLines=-1|tailLines must be >= 0",
      "limitBytes=0|limitBytes and sinceSeconds >= 1",
      "sinceSeconds=0|limitBytes and sinceSeconds >= 1",
      "sinceSeconds=5&sinceTime=2026-01-02T03:04:05Z|at most one of sinceSeconds and sinceTime",
  })
  void badParametersAre400WithAReason(String query, String reason) {
    assertThatThrownBy(() -> parse(query))
        .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining(reason);
  }
}
