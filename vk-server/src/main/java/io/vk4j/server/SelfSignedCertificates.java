package io.vk4j.server;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues a private CA and a serving certificate signed by it, at start-up, so that a server needs
 * no certificate manager: the webhook puts the CA into its MutatingWebhookConfiguration's caBundle,
 * the kubelet API is self-signed like a kubelet without {@code --tls-cert-file}. ECDSA P-256.
 */
public final class SelfSignedCertificates {

  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The issued CA (for the caBundle) and the serving key material (leaf, then CA). */
  public record Issued(X509Certificate ca, KeyMaterial serving) {
    public String caPem() {
      return KeyMaterial.pem(ca);
    }
  }

  private SelfSignedCertificates() {}

  /**
   * @param dnsNames subject alternative names, e.g. {@code svc}, {@code svc.ns}, {@code svc.ns.svc}
   * @param ipAddresses IP SANs, e.g. {@code 127.0.0.1}
   */
  public static Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses) {
    try {
      Instant now = Instant.now();
      Date notBefore = Date.from(now.minus(BACKDATE));
      Date notAfter = Date.from(now.plus(VALIDITY));
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

      KeyPair caKeys = newKeyPair();
      X500Principal caName = new X500Principal("CN=" + commonName + " CA " + now.getEpochSecond());
      X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(
          caName, serial(), notBefore, notAfter, caName, caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate caCert = sign(ca, caKeys);

      KeyPair servingKeys = newKeyPair();
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      X509v3CertificateBuilder serving = new JcaX509v3CertificateBuilder(
          caCert, serial(), notBefore, notAfter, new X500Principal("CN=" + commonName), servingKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false,
              extensions.createAuthorityKeyIdentifier(caCert));
      X509Certificate servingCert = sign(serving, caKeys);
      return new Issued(caCert, new KeyMaterial(servingKeys.getPrivate(), List.of(servingCert, caCert)));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the self-signed certificates", e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
