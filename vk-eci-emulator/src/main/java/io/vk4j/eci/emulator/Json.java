package io.vk4j.eci.emulator;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson the emulator writes with: no HTML escaping, so messages read as they are. */
final class Json {

  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private Json() {}
}
