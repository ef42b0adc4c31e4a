package io.vk4j.runtime.internal.kubelet;

import io.vk4j.server.FileWatcher;
import io.vk4j.server.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates client certificates as Kubernetes does: the chain must lead to one of the CAs of
 * the client CA file, be valid now and be meant for client authentication; the user is the
 * subject's CN, its groups the subject's O values. The CA file is re-read when it changes.
 */
final class ClientCertificates {
  private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private volatile List<X509Certificate> authorities;

  ClientCertificates(List<X509Certificate> authorities) {
    this.authorities = List.copyOf(authorities);
  }

  /** The CAs of {@code caFile}, followed through {@code watcher}; an unusable new version keeps the old CAs. */
  static ClientCertificates fromFile(Path caFile, FileWatcher watcher) throws IOException {
    ClientCertificates certificates = new ClientCertificates(PemFiles.readCertificates(caFile));
    watcher.watch(List.of(caFile), () -> {
      certificates.authorities = PemFiles.readCertificates(caFile);
      LOG.info("reloaded the client CA file {}: {} certificate(s)", caFile, certificates.authorities.size());
    });
    return certificates;
  }

  List<X509Certificate> authorities() {
    return authorities;
  }

  /**
   * The user of a verified chain (leaf first).
   *
   * @throws GeneralSecurityException saying why the chain is refused
   */
  User verify(X509Certificate[] chain) throws GeneralSecurityException {
    X509Certificate leaf = chain[0];
    List<String> usages = leaf.getExtendedKeyUsage();
    if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
      throw new GeneralSecurityException("the certificate is not for client authentication");
    }
    Set<TrustAnchor> anchors = authorities.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
    PKIXParameters parameters = new PKIXParameters(anchors);
    parameters.setRevocationEnabled(false);
    // the presented chain, without a self-signed root (the anchor stands for it)
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    path.removeIf(c -> c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && path.size() > 1);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    return user(leaf);
  }

  private static User user(X509Certificate leaf) throws GeneralSecurityException {
    String name = null;
    List<String> groups = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && name == null) {
          name = rdn.getValue().toString();
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          groups.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      throw new GeneralSecurityException("unreadable certificate subject: " + e.getMessage(), e);
    }
    if (name == null || name.isEmpty()) {
      throw new GeneralSecurityException("the certificate's subject has no common name");
    }
    return new User(name, "", groups, java.util.Map.of());
  }
}
