package io.vk4j.eci.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request parameters as nested maps and lists; the SDK flattens them to Container.1.Name and so on. */
final class Requests {

  private Requests() {}

  static Map<String, Object> create(String name, Map<String, String> tags, Map<String, Object> container) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("RegionId", "cn-hangzhou");
    p.put("ContainerGroupName", name);
    p.put("SecurityGroupId", "sg-test");
    p.put("VSwitchId", "vsw-test");
    p.put("RestartPolicy", "Always");
    List<Map<String, Object>> tagList = new ArrayList<>();
    tags.forEach((k, v) -> tagList.add(Map.of("Key", k, "Value", v)));
    if (!tagList.isEmpty()) {
      p.put("Tag", tagList);
    }
    p.put("Container", List.of(container));
    return p;
  }

  static Map<String, Object> container(String name, String image) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("Name", name);
    c.put("Image", image);
    return c;
  }

  static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(base);
    copy.put(key, value);
    return copy;
  }

  static Map<String, Object> region(Object... keyValues) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("RegionId", "cn-hangzhou");
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put((String) keyValues[i], keyValues[i + 1]);
    }
    return p;
  }
}
