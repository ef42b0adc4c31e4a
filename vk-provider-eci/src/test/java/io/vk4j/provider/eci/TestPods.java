package io.vk4j.provider.eci;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Pods of the test corpus in {@code src/test/resources/pods}. */
final class TestPods {
  private TestPods() {}

  static V1Pod load(String name) {
    try (InputStream in = TestPods.class.getResourceAsStream("/pods/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no test pod " + name);
      }
      return JSON.deserialize(new String(in.readAllBytes(), StandardCharsets.UTF_8), V1Pod.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EciSettings.Builder settings() {
    return EciSettings.builder()
        .region("cn-hangzhou")
        .clusterId("c-test")
        .nodeName("virtual-node-eci-0")
        .credentials(EciCredentials.accessKey("ak", "sk", java.util.Optional.empty()))
        .securityGroupId("sg-default")
        .addVSwitchIds("vsw-zonea", "vsw-zoneb")
        .endpoint("127.0.0.1:1")
        .protocol("http")
        .kubeProxy(false);
  }
}
