package io.vk4j.provider.fake;

import io.vk4j.api.GoDuration;
import io.vk4j.api.InvalidInputException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** What the {@link FakeAnnotations} of one pod ask for; most pods share {@link #NONE}. */
record PodScript(
    Duration startDelay,
    Duration exitAfter,
    int exitCode,
    String failCreateReason,
    String failCreateMessage,
    int failCreateTimes,
    Duration failCreateRetryAfter,
    Duration vanishAfter,
    Duration hangOnDelete,
    List<String> logLines,
    Map<Integer, FakePorts.Kind> ports) {

  /** {@link #hangOnDelete()} of a pod that never stops after delete. */
  static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  static final PodScript NONE = new PodScript(null, null, 0, null, null, 0, null, null, null, List.of(), Map.of());

  /** @throws InvalidInputException naming the annotation and what a valid value looks like */
  static PodScript of(Map<String, String> annotations) throws InvalidInputException {
    if (annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith("fake.vk4j.io/"))) {
      return NONE;
    }
    String failReason = annotations.get(FakeAnnotations.FAIL_CREATE);
    if (failReason != null && failReason.isBlank()) {
      failReason = "FakeCreateFailure";
    }
    String log = annotations.get(FakeAnnotations.LOG);
    return new PodScript(
        duration(annotations, FakeAnnotations.START_DELAY),
        duration(annotations, FakeAnnotations.EXIT_AFTER),
        integer(annotations, FakeAnnotations.EXIT_CODE, 0, 255),
        failReason == null ? null : failReason.trim(),
        annotations.get(FakeAnnotations.FAIL_CREATE_MESSAGE),
        integer(annotations, FakeAnnotations.FAIL_CREATE_TIMES, 0, Integer.MAX_VALUE),
        duration(annotations, FakeAnnotations.FAIL_CREATE_RETRY_AFTER),
        duration(annotations, FakeAnnotations.VANISH_AFTER),
        hang(annotations.get(FakeAnnotations.HANG_ON_DELETE)),
        log == null ? List.of() : log.lines().toList(),
        Map.copyOf(FakePorts.parse(annotations.get(FakeAnnotations.PORTS))));
  }

  private static Duration hang(String value) throws InvalidInputException {
    if (value == null || value.equalsIgnoreCase("false")) {
      return null;
    }
    if (value.equalsIgnoreCase("forever") || value.equalsIgnoreCase("true")) {
      return FOREVER;
    }
    return parse(FakeAnnotations.HANG_ON_DELETE, value);
  }

  private static Duration duration(Map<String, String> annotations, String key) throws InvalidInputException {
    String value = annotations.get(key);
    return value == null ? null : parse(key, value);
  }

  private static Duration parse(String key, String value) throws InvalidInputException {
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("InvalidAnnotation", "annotation " + key + ": " + e.getMessage());
    }
  }

  private static int integer(Map<String, String> annotations, String key, int min, int max)
      throws InvalidInputException {
    String value = annotations.get(key);
    if (value == null) {
      return 0;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException("InvalidAnnotation",
        "annotation " + key + ": '" + value + "' is not a whole number between " + min + " and " + max);
  }
}
