package io.vk4j.runtime.internal.kubelet;

import java.util.List;
import java.util.Map;

/** Who made a request, as authentication found it. */
record User(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
  static final User ANONYMOUS = new User("system:anonymous", "", List.of("system:unauthenticated"), Map.of());

  User {
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }
}
