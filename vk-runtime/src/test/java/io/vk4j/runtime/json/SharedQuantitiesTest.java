package io.vk4j.runtime.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedQuantitiesTest {
  private static final List<String> TEXTS = List.of("100m", "0.25", "1", "1.5", "64Mi", "1Gi", "1073741824", "64M",
      "1e3", "2E6", "500u", "0", "-1", "1k", "12345678901234567890", "0.000001", "3Ei");

  private final Gson standard = JSON.getGson();
  private final Gson lean = LeanJson.leanerThan(standard);

  @Test
  void readsAndWritesWhatClientJavaDoes() {
    for (String text : TEXTS) {
      String json = "\"" + text + "\"";
      Quantity expected = standard.fromJson(json, Quantity.class);
      for (int time = 0; time < 2; time++) { // parsed, then from the cache
        Quantity read = lean.fromJson(json, Quantity.class);
        assertThat(read).as(text).isEqualTo(expected);
        // as written, or the error client-java's formatter gives for it (it has no suffix for some)
        assertThat(outcome(() -> lean.toJson(read))).as(text).isEqualTo(outcome(() -> standard.toJson(expected)));
      }
    }
  }

  @Test
  void aTextIsParsedOnceAndEqualQuantitiesKeepTheirOwnForm() {
    Quantity first = lean.fromJson("\"64Mi\"", Quantity.class);
    assertThat(lean.fromJson("\"64Mi\"", Quantity.class)).isSameAs(first);

    Quantity binary = Quantity.fromString("1Gi");
    Quantity decimal = new Quantity(binary.getNumber(), Quantity.Format.DECIMAL_SI);
    assertThat(lean.toJson(binary)).isEqualTo(standard.toJson(binary));
    assertThat(lean.toJson(decimal)).isEqualTo(standard.toJson(decimal)).isNotEqualTo(lean.toJson(binary));
  }

  @Test
  void nullsAndBadTextAreClientJavas() {
    V1ResourceRequirements none = lean.fromJson("{\"limits\":{\"cpu\":null}}", V1ResourceRequirements.class);
    assertThat(none.getLimits()).containsEntry("cpu", null);
    assertThat(lean.toJson(new V1ResourceRequirements())).isEqualTo(standard.toJson(new V1ResourceRequirements()));

    Class<? extends Throwable> refused = catchType(() -> standard.fromJson("\"12x\"", Quantity.class));
    for (int time = 0; time < 2; time++) { // and not remembered
      assertThatThrownBy(() -> lean.fromJson("\"12x\"", Quantity.class)).isExactlyInstanceOf(refused);
    }
  }

  private static Object outcome(java.util.function.Supplier<String> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  private static Class<? extends Throwable> catchType(Runnable run) {
    try {
      run.run();
    } catch (RuntimeException e) {
      return e.getClass();
    }
    throw new AssertionError("client-java accepted it");
  }
}
