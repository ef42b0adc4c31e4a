package io.vk4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files and self-issued certificates. */
class CertificatesTest {

  @Test
  void pemFilesAcceptPkcs8AndChains(@TempDir Path dir) throws Exception {
    SelfSignedCertificates.Issued issued = SelfSignedCertificates.issue("vk4j", List.of("localhost"), List.of("127.0.0.1"));
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    writePem(issued, cert, key);
    KeyMaterial read = PemFiles.read(cert, key);
    assertThat(read.chain()).hasSize(2);
    assertThat(read.leaf()).isEqualTo(issued.serving().leaf());
    assertThat(PemFiles.readCertificates(cert)).containsExactlyElementsOf(issued.serving().chain());
    Files.writeString(key, "not a key");
    assertThatThrownBy(() -> PemFiles.read(cert, key)).hasMessageContaining("holds no unencrypted PEM private key");
    Files.writeString(cert, "no certificate here");
    assertThatThrownBy(() -> PemFiles.readCertificates(cert)).hasMessageContaining("holds no PEM certificate");
  }

  @Test
  void selfIssuedCertificateNamesTheServiceAndIsSignedByItsCa() throws Exception {
    SelfSignedCertificates.Issued issued = SelfSignedCertificates.issue("vk-webhook",
        List.of("vk-webhook.kube-system.svc"), List.of("127.0.0.1"));
    X509Certificate leaf = issued.serving().leaf();
    List<Object> names = leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
    assertThat(names).containsExactly("vk-webhook.kube-system.svc", "127.0.0.1");
    leaf.verify(issued.ca().getPublicKey());
    leaf.checkValidity();
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
    assertThat(issued.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(issued.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  static void writePem(SelfSignedCertificates.Issued issued, Path cert, Path key) throws Exception {
    Files.writeString(cert, KeyMaterial.pem(issued.serving().chain().toArray()));
    Files.writeString(key, KeyMaterial.pem(new JcaPKCS8Generator(issued.serving().key(), null)));
  }
}
