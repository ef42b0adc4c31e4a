package io.vk4j.runtime.json;

import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * client-java's date-time adapter, with the form the API server always uses done by hand: UTC, to
 * the second or with a fraction. A pod carries half a dozen such times, and {@code java.time}'s
 * formatters cost more CPU than any other part of reading or writing it. The text is the same as
 * client-java's ({@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'}); any other form or value, and every
 * error, is left to client-java's adapter.
 */
final class UtcTimeAdapter extends TypeAdapter<OffsetDateTime> {
  /** Year, month, day, hour, minute, second and microsecond: their digits and the character after each. */
  private static final int[] WIDTHS = {4, 2, 2, 2, 2, 2, 6};
  private static final char[] AFTER = {'-', '-', 'T', ':', ':', '.', 'Z'};

  private final TypeAdapter<OffsetDateTime> client;

  UtcTimeAdapter(TypeAdapter<OffsetDateTime> client) {
    this.client = client;
  }

  @Override
  public void write(JsonWriter out, OffsetDateTime time) throws IOException {
    if (time == null || time.getOffset().getTotalSeconds() != 0 || time.getYear() < 1000 || time.getYear() > 9999) {
      client.write(out, time);
      return;
    }
    int[] fields = {time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(),
        time.getSecond(), time.getNano() / 1000};
    char[] text = new char[27];
    int at = 0;
    for (int i = 0; i < fields.length; i++) {
      digits(text, at, fields[i], WIDTHS[i]);
      at += WIDTHS[i];
      text[at++] = AFTER[i];
    }
    out.value(new String(text));
  }

  @Override
  public OffsetDateTime read(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    String text = in.nextString();
    OffsetDateTime time = parseUtc(text);
    // anything else, as client-java reads it (the text quoted again, escapes and all)
    return time != null ? time : client.read(new JsonReader(new StringReader(new JsonPrimitive(text).toString())));
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or {@code null} for any other text or an invalid value. */
  private static OffsetDateTime parseUtc(String s) {
    int length = s.length();
    if (length < 20 || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int nanos = 0;
    if (length > 20) {
      int fraction = length - 21;
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int value = number(s, 20, fraction);
      if (value < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        value *= 10;
      }
      nanos = value;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    int hour = number(s, 11, 2);
    int minute = number(s, 14, 2);
    int second = number(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second, nanos), ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int number(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void digits(char[] into, int at, int value, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
