package io.vk4j.runtime.kubelet;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A TLS server context with a freshly generated, self-signed certificate, like the one a kubelet
 * creates when it is given none. The API server does not verify kubelet certificates unless it is
 * started with {@code --kubelet-certificate-authority}, so this is enough for {@code kubectl logs}.
 */
final class SelfSignedTls {
  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final char[] NO_PASSWORD = new char[0];

  private SelfSignedTls() {}

  /** A context whose certificate names {@code commonName}, localhost and the given addresses. */
  static SSLContext serverContext(String commonName, List<InetAddress> addresses) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X509Certificate certificate = certificate(commonName, addresses, keys);

      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("kubelet", keys.getPrivate(), NO_PASSWORD, new X509Certificate[] {certificate});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create the kubelet API's self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static X509Certificate certificate(String commonName, List<InetAddress> addresses, KeyPair keys)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_"));
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        subject,
        new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), // tolerate clocks that lag a little
        Date.from(now.plus(VALIDITY)),
        subject,
        keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(commonName, addresses));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private static GeneralNames alternativeNames(String commonName, List<InetAddress> addresses) {
    Set<String> dnsNames = new LinkedHashSet<>(List.of("localhost"));
    if (commonName.matches("[A-Za-z0-9.-]+")) {
      dnsNames.add(commonName);
    }
    Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
    for (InetAddress address : addresses) {
      String ip = address.getHostAddress();
      if (!address.isAnyLocalAddress() && !ip.contains("%")) { // no IPv6 scope ids in a certificate
        ips.add(ip);
      }
    }
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }
}
