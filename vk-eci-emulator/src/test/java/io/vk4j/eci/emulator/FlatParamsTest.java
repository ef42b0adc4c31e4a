package io.vk4j.eci.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatParamsTest {

  @Test
  void indexedListsComeBackInIndexOrderEvenWhenSparse() {
    FlatParams p = FlatParams.of(Map.of("Container.10.Name", "b", "Container.2.Name", "a", "Container.2.Command.2", "y", "Container.2.Command.1", "x"));

    assertThat(p.list("Container")).extracting(c -> c.required("Name")).containsExactly("a", "b");
    assertThat(p.list("Container").get(0).strings("Command")).containsExactly("x", "y");
    assertThat(p.list("Container").get(1).path()).isEqualTo("Container.10");
  }

  @Test
  void nestedObjectsAndMissingValues() {
    FlatParams p = FlatParams.of(Map.of("Volume.1.NFSVolume.Server", "nas", "Volume.1.Name", ""));

    FlatParams volume = p.list("Volume").get(0);
    assertThat(volume.object("NFSVolume").string("Server")).contains("nas");
    assertThat(volume.string("Name")).isEmpty();
    assertThatThrownBy(() -> volume.required("Name")).isInstanceOf(ApiException.class).hasMessageContaining("Volume.1.Name");
    assertThat(p.object("Nothing").isEmpty()).isTrue();
  }

  @Test
  void shapesThatCannotBeReadAreRefused() {
    assertThatThrownBy(() -> FlatParams.of(Map.of("A.1", "x", "A.1.B", "y"))).hasMessageContaining("both a value and a parent");
    assertThatThrownBy(() -> FlatParams.of(Map.of("A..B", "x"))).hasMessageContaining("empty name segment");
    assertThatThrownBy(() -> FlatParams.of(Map.of("A.1001", "x"))).hasMessageContaining("index must be between 1 and 1000");
    assertThatThrownBy(() -> FlatParams.of(Map.of("A.B", "x")).strings("A")).hasMessageContaining("expected an index");
    assertThatThrownBy(() -> FlatParams.of(Map.of("A", "x")).list("A")).hasMessageContaining("must be a list");
    assertThatThrownBy(() -> FlatParams.of(Map.of("N", "-1")).number("N")).hasMessageContaining("non-negative number");
    assertThatThrownBy(() -> FlatParams.of(Map.of("B", "yes")).bool("B")).hasMessageContaining("not a boolean");
  }
}
