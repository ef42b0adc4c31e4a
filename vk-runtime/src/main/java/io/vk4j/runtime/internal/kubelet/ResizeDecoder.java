package io.vk4j.runtime.internal.kubelet;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.netty.buffer.ByteBuf;
import io.vk4j.api.TerminalSize;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the terminal sizes a client sends on the resize stream: JSON objects such as {@code
 * {"Width":80,"Height":24}}, one after the other, split across frames anyhow. Malformed objects are
 * skipped.
 */
final class ResizeDecoder {
  private static final int MAX_OBJECT = 1024;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int depth;

  /** The sizes completed by {@code data}. */
  List<TerminalSize> decode(ByteBuf data) {
    List<TerminalSize> sizes = new ArrayList<>();
    while (data.isReadable()) {
      byte b = data.readByte();
      if (depth == 0 && b != '{') {
        continue; // whitespace between objects
      }
      pending.write(b);
      if (b == '{') {
        depth++;
      } else if (b == '}' && --depth == 0) {
        parse(pending.toString(StandardCharsets.UTF_8), sizes);
        pending.reset();
      }
      if (pending.size() > MAX_OBJECT) {
        pending.reset();
        depth = 0;
      }
    }
    return sizes;
  }

  private static void parse(String json, List<TerminalSize> sizes) {
    try {
      JsonObject object = JsonParser.parseString(json).getAsJsonObject();
      int width = object.get("Width").getAsInt();
      int height = object.get("Height").getAsInt();
      if (width >= 0 && height >= 0 && width <= 65535 && height <= 65535) {
        sizes.add(TerminalSize.of(width, height));
      }
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | NumberFormatException e) {
      // not a size: skip it
    }
  }
}
