package io.vk4j.runtime.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcTimeAdapterTest {
  private final Gson client = JSON.getGson();
  private final Gson lean = LeanJson.leanerThan(client);

  @Test
  void writesTheTextClientJavaWrites() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      OffsetDateTime time = OffsetDateTime.of(1000 + random.nextInt(9000), 1 + random.nextInt(12),
          1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
          random.nextBoolean() ? 0 : random.nextInt(1_000_000_000), ZoneOffset.UTC);
      assertThat(lean.toJson(time)).isEqualTo(client.toJson(time));
    }
    OffsetDateTime elsewhere = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.ofHours(8));
    assertThat(lean.toJson(elsewhere)).as("left to client-java").isEqualTo(client.toJson(elsewhere));
    assertThat(lean.toJson(OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC)))
        .isEqualTo("\"2026-12-01T08:00:00.000000Z\"");
  }

  /** client-java's lenient readings (February 30, 24:00, a point without a fraction) included: the form this adapter leaves to it. */
  @Test
  void readsWhatClientJavaReadsAsItReadsIt() {
    for (String text : List.of("2026-12-01T11:53:33Z", "2026-12-01T11:53:33.5Z", "2026-12-01T11:53:33.123456Z",
        "2026-12-01T11:53:33.123456789Z", "2026-12-01T11:53:33+00:00", "2026-12-01T19:53:33+08:00",
        "2026-12-01T11:53:33.000001+0000", "2024-02-29T00:00:00Z", "0999-01-01T00:00:00Z", "2026-12-01t11:53:33z",
        "2026-02-30T11:53:33Z", "2026-12-01T24:00:00Z", "2026-12-01T11:53:33.Z")) {
      String json = '"' + text + '"';
      OffsetDateTime expected = client.fromJson(json, OffsetDateTime.class);
      OffsetDateTime read = lean.fromJson(json, OffsetDateTime.class);
      assertThat(read).as(text).isEqualTo(expected);
      assertThat(read.getOffset()).as(text).isEqualTo(expected.getOffset());
    }
    assertThat(lean.fromJson("null", OffsetDateTime.class)).isNull();
  }

  @Test
  void refusesWhatClientJavaRefuses() {
    // the last is a quote inside the time, escaped in the JSON text
    for (String text : List.of("2026-13-01T11:53:33Z", "2026-12-01T25:00:00Z", "2026-12-01T11:53:33.1234567890Z",
        "2026-12-01 11:53:33Z", "yesterday", "2026-12-01T11:53:33\\\"Z")) {
      String json = '"' + text + '"';
      Class<? extends Throwable> refusal = catchThrowable(() -> client.fromJson(json, OffsetDateTime.class)).getClass();
      assertThatThrownBy(() -> lean.fromJson(json, OffsetDateTime.class)).as(text).isExactlyInstanceOf(refusal);
    }
  }
}
