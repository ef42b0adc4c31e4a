package io.vk4j.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Dumps a class-data sharing archive for one jar. JDK 17 maps an archive only for the class path it
 * was dumped with, resolved against the working directory, so each jar the benchmark runs gets its own,
 * dumped with the jar's absolute path as the image's is.
 */
final class ClassDataArchive {
  private ClassDataArchive() {}

  static Path dump(Path jar, Path classList, Path results, String name) throws IOException, InterruptedException {
    Path archive = results.resolve("cds-" + name + ".jsa").toAbsolutePath();
    Path log = results.resolve("cds-" + name + ".log");
    Process dump = new ProcessBuilder(List.of("java", "-Xshare:dump", "-Xlog:disable", "-Xlog:all=error:stderr",
        "-XX:SharedClassListFile=" + classList.toAbsolutePath(), "-XX:SharedArchiveFile=" + archive,
        "-cp", jar.toAbsolutePath().toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!dump.waitFor(5, TimeUnit.MINUTES) || dump.exitValue() != 0) {
      dump.destroyForcibly();
      throw new IllegalStateException("could not dump the class-data archive for " + jar + "; see " + log);
    }
    Files.deleteIfExists(log);
    return archive;
  }
}
