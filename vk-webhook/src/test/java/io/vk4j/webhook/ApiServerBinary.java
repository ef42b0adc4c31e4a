package io.vk4j.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether the kube-apiserver of the local control plane can take a mutating webhook's patch.
 * Kubernetes 1.20 vendors reflect2 1.0.1, which corrupts memory under Go 1.18+; the API server
 * JSON-encodes every webhook patch for an audit annotation and dies there with SIGSEGV. A build
 * with reflect2 1.0.2 contains its file {@code go_above_118.go}. Sending our patches to a broken
 * server would kill it for every other test sharing it, so the end-to-end test checks first.
 */
final class ApiServerBinary {

  private static final byte[] FIXED_REFLECT2 = "modern-go/reflect2/go_above_118.go".getBytes(StandardCharsets.US_ASCII);

  private ApiServerBinary() {}

  /** True unless a local kube-apiserver serving {@code basePath} is found and lacks the fixed reflect2. */
  static boolean survivesMutatingWebhooks(String basePath) throws IOException {
    int port = URI.create(basePath).getPort();
    Optional<Path> binary = localApiServer(port);
    return binary.isEmpty() || contains(binary.get(), FIXED_REFLECT2);
  }

  private static Optional<Path> localApiServer(int port) throws IOException {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return Optional.empty();
    }
    try (Stream<Path> processes = Files.list(proc)) {
      return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> {
            try {
              String commandLine = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1).replace((char) 0, ' ');
              return commandLine.contains("kube-apiserver") && commandLine.contains("--secure-port=" + port + " ");
            } catch (IOException | RuntimeException e) {
              return false;
            }
          })
          .map(p -> {
            try {
              return p.resolve("exe").toRealPath();
            } catch (IOException e) {
              return null;
            }
          })
          .filter(java.util.Objects::nonNull)
          .findFirst();
    }
  }

  private static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] buffer = new byte[1 << 20];
    int carry = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer, carry, buffer.length - carry); n > 0; n = in.read(buffer, carry, buffer.length - carry)) {
        int length = carry + n;
        for (int i = 0; i + needle.length <= length; i++) {
          if (buffer[i] == needle[0] && java.util.Arrays.equals(buffer, i, i + needle.length, needle, 0, needle.length)) {
            return true;
          }
        }
        carry = Math.min(needle.length - 1, length);
        System.arraycopy(buffer, length - carry, buffer, 0, carry);
      }
    }
    return false;
  }
}
