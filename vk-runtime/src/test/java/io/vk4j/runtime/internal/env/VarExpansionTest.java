package io.vk4j.runtime.internal.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VarExpansionTest {
  private final Map<String, String> vars = Map.of("A", "alpha", "B", "beta", "EMPTY", "");

  @Test
  void expandsDefinedVariables() {
    assertThat(VarExpansion.expand("$(A)-$(B)", vars)).isEqualTo("alpha-beta");
    assertThat(VarExpansion.expand("x$(EMPTY)y", vars)).isEqualTo("xy");
  }

  @Test
  void keepsUndefinedReferences() {
    assertThat(VarExpansion.expand("$(NOPE) and $(A)", vars)).isEqualTo("$(NOPE) and alpha");
  }

  @Test
  void doubleDollarEscapes() {
    assertThat(VarExpansion.expand("$$(A)", vars)).isEqualTo("$(A)");
    assertThat(VarExpansion.expand("$$$(A)", vars)).isEqualTo("$alpha");
    assertThat(VarExpansion.expand("cost: $$5", vars)).isEqualTo("cost: $5");
  }

  @Test
  void leavesOtherDollarsAndIncompleteReferences() {
    assertThat(VarExpansion.expand("$A $ $(A", vars)).isEqualTo("$A $ $(A");
    assertThat(VarExpansion.expand("end$", vars)).isEqualTo("end$");
    assertThat(VarExpansion.expand(null, vars)).isNull();
  }
}
