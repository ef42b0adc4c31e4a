package io.vk4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VirtualNodeTest {

  @Test
  void nodeNamesAreDns1123Subdomains() {
    assertThat(VirtualNode.isValidNodeName("virtual-node-eci-0")).isTrue();
    assertThat(VirtualNode.isValidNodeName("vk-1.zone-a.example")).isTrue();
    assertThat(VirtualNode.isValidNodeName("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
        + "d".repeat(61))).isTrue(); // 253 characters

    assertThat(VirtualNode.isValidNodeName("a..b")).isFalse();
    assertThat(VirtualNode.isValidNodeName("a.-b")).isFalse();
    assertThat(VirtualNode.isValidNodeName("Bad_Name")).isFalse();
    assertThat(VirtualNode.isValidNodeName("-a")).isFalse();
    assertThat(VirtualNode.isValidNodeName("a".repeat(254))).isFalse();
    assertThat(VirtualNode.isValidNodeName("")).isFalse();
    assertThat(VirtualNode.isValidNodeName(null)).isFalse();
  }

  @Test
  void theBuilderRefusesAnInvalidNodeName() {
    assertThatThrownBy(() -> VirtualNode.builder().nodeName("a..b").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a..b");
  }
}
