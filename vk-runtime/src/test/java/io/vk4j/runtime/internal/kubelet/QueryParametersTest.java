package io.vk4j.runtime.internal.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryParametersTest {

  @Test
  void decodesNamesAndValuesAndKeepsRepeatsInOrder() {
    QueryParameters query = QueryParameters.parse("command=sh&command=-c&command=echo%20a%2Bb&x");

    assertThat(query.all("command")).containsExactly("sh", "-c", "echo a+b");
    assertThat(query.first("command")).contains("sh");
    assertThat(query.first("x")).contains("");
    assertThat(query.first("missing")).isEmpty();
  }

  @Test
  void emptyOrMissingQueryHasNoParameters() {
    assertThat(QueryParameters.parse(null).first("a")).isEmpty();
    assertThat(QueryParameters.parse("").all("a")).isEmpty();
    assertThat(QueryParameters.parse("&&").all("")).isEmpty();
  }

  @Test
  void malformedEscapeIsKeptAsSent() {
    assertThat(QueryParameters.parse("a=%zz").first("a")).contains("%zz");
  }
}
