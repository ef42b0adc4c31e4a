package io.vk4j.runtime.internal.kubelet;

import io.vk4j.server.KeyMaterial;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA that issues client certificates, as a cluster's CA issues the API server's kubelet client certificate. */
final class TestCertificates {
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCertificates(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  static TestCertificates authority(String name) throws Exception {
    KeyPair keys = keyPair();
    X500Principal subject = new X500Principal("CN=" + name);
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        subject, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    return new TestCertificates(keys, sign(builder, keys));
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** A client certificate for user {@code commonName} in group {@code organization}. */
  KeyMaterial client(String commonName, String organization) throws Exception {
    KeyPair client = keyPair();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        new X500Principal("CN=" + commonName + ", O=" + organization), client.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return new KeyMaterial(client.getPrivate(), List.of(sign(builder, keys)));
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }
}
