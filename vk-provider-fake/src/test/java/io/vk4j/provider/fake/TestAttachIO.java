package io.vk4j.provider.fake;

import io.vk4j.api.AttachIO;
import io.vk4j.api.TerminalSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/** Exec streams backed by byte arrays. */
final class TestAttachIO implements AttachIO {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final String stdin;
  private final boolean tty;

  TestAttachIO(String stdin, boolean tty) {
    this.stdin = stdin;
    this.tty = tty;
  }

  TestAttachIO() {
    this(null, false);
  }

  @Override
  public Optional<InputStream> stdin() {
    return stdin == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Optional<OutputStream> stdout() {
    return Optional.of(out);
  }

  @Override
  public Optional<OutputStream> stderr() {
    return tty ? Optional.empty() : Optional.of(err);
  }

  @Override
  public boolean tty() {
    return tty;
  }

  @Override
  public void onResize(Consumer<TerminalSize> listener) {
    // no terminal sizes in these tests
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
