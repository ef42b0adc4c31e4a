package io.vk4j.webhook;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads a PEM certificate chain and a PEM private key (PKCS#1, SEC1 or PKCS#8), e.g. a mounted TLS Secret. */
final class PemFiles {

  private PemFiles() {}

  static KeyMaterial read(Path certificateFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(certificateFile, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(certificateFile + ": not a valid certificate: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IOException(certificateFile + " holds no PEM certificate");
    }
    PrivateKey key = null;
    try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null && key == null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          key = converter.getPrivateKey(pair.getPrivateKeyInfo());
        } else if (object instanceof PrivateKeyInfo info) {
          key = converter.getPrivateKey(info);
        }
      }
    }
    if (key == null) {
      throw new IOException(keyFile + " holds no unencrypted PEM private key");
    }
    requireMatchingPair(key, chain.get(0), keyFile);
    return new KeyMaterial(key, chain);
  }

  /** A half-rotated Secret (new certificate, old key) must be refused, not served. */
  private static void requireMatchingPair(PrivateKey key, X509Certificate leaf, Path keyFile) throws IOException {
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IOException(keyFile + ": unsupported key algorithm " + key.getAlgorithm());
    };
    try {
      byte[] probe = "vk-webhook key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IOException(keyFile + " does not belong to the certificate " + leaf.getSubjectX500Principal());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(keyFile + " does not belong to the certificate: " + e.getMessage(), e);
    }
  }
}
