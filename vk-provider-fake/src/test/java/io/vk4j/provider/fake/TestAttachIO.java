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
  private final TerminalSize size;
  private InputStream stdinStream;

  TestAttachIO(String stdin, boolean tty) {
    this(stdin, tty, null);
  }

  /** With a terminal whose size the client has sent. */
  TestAttachIO(String stdin, boolean tty, TerminalSize size) {
    this.stdin = stdin;
    this.tty = tty;
    this.size = size;
  }

  TestAttachIO() {
    this(null, false);
  }

  /** Without a terminal, with {@code stdin} as the client's stdin. */
  static TestAttachIO withStdin(InputStream stdin) {
    TestAttachIO io = new TestAttachIO(null, false);
    io.stdinStream = stdin;
    return io;
  }

  @Override
  public Optional<InputStream> stdin() {
    if (stdinStream != null) {
      return Optional.of(stdinStream);
    }
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
    if (size != null) {
      listener.accept(size);
    }
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
