package io.vk4j.server;

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
public final class PemFiles {

  private PemFiles() {}

  /** The certificate chain (leaf first) and its private key, which must belong together. */
  public static KeyMaterial read(Path certificateFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = readCertificates(certificateFile);
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

  /** Every certificate of a PEM file, in order (a chain, or a CA bundle such as {@code --client-ca-file}). */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + " holds no PEM certificate");
    }
    return List.copyOf(certificates);
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
      byte[] probe = "vk4j key check".getBytes(StandardCharsets.US_ASCII);
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
