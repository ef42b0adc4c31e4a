package io.vk4j.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Merges the class lists the node JVMs wrote ({@code -XX:DumpLoadedClassList}) into the one the
 * class-data sharing archive is dumped from: every class any run loaded, in first-seen order.
 */
final class ClassLists {
  private ClassLists() {}

  static void merge(Path results, Path target) throws IOException {
    List<Path> lists;
    try (Stream<Path> files = Files.walk(results)) {
      lists = files.filter(f -> f.getFileName().toString().endsWith(".classlist")).sorted().toList();
    }
    if (lists.isEmpty()) {
      throw new IOException("no class list written under " + results);
    }
    List<String> header = new ArrayList<>();
    Set<String> entries = new LinkedHashSet<>();
    for (Path list : lists) {
      for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
        if (line.startsWith("#")) {
          if (list.equals(lists.get(0))) {
            header.add(line);
          }
        } else if (!line.isBlank()) {
          entries.add(line);
        }
      }
    }
    header.addAll(entries);
    Files.write(target, header, StandardCharsets.UTF_8);
  }
}
