package io.vk4j.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vk4j.server.KeyMaterial;
import io.vk4j.server.SelfSignedCertificates;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaBundleInjectorTest {

  private static X509Certificate newCa() {
    return SelfSignedCertificates.issue("vk-webhook", List.of("localhost"), List.of()).ca();
  }

  @Test
  void keepsTheOtherReplicasCasAndAddsOurs() {
    X509Certificate other = newCa();
    X509Certificate ours = newCa();
    String bundle = CaBundleInjector.mergedBundle(KeyMaterial.pem(other).getBytes(StandardCharsets.US_ASCII), ours);
    assertThat(CaBundleInjector.parse(bundle.getBytes(StandardCharsets.US_ASCII))).containsExactlyInAnyOrder(other, ours);
  }

  @Test
  void isStableWhenOursIsAlreadyThere() {
    X509Certificate ours = newCa();
    String once = CaBundleInjector.mergedBundle(null, ours);
    String twice = CaBundleInjector.mergedBundle(once.getBytes(StandardCharsets.US_ASCII), ours);
    assertThat(twice).isEqualTo(once);
    assertThat(CaBundleInjector.parse(twice.getBytes(StandardCharsets.US_ASCII))).containsExactly(ours);
  }

  @Test
  void boundsTheBundleAndReplacesGarbage() {
    List<X509Certificate> old = new ArrayList<>();
    StringBuilder pem = new StringBuilder();
    for (int i = 0; i < CaBundleInjector.MAX_CAS + 3; i++) {
      X509Certificate ca = newCa();
      old.add(ca);
      pem.append(KeyMaterial.pem(ca));
    }
    X509Certificate ours = newCa();
    List<X509Certificate> merged = CaBundleInjector.parse(
        CaBundleInjector.mergedBundle(pem.toString().getBytes(StandardCharsets.US_ASCII), ours).getBytes(StandardCharsets.US_ASCII));
    assertThat(merged).hasSize(CaBundleInjector.MAX_CAS).contains(ours);

    String replaced = CaBundleInjector.mergedBundle("garbage".getBytes(StandardCharsets.US_ASCII), ours);
    assertThat(CaBundleInjector.parse(replaced.getBytes(StandardCharsets.US_ASCII))).containsExactly(ours);
  }
}
