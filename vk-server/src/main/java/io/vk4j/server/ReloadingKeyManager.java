package io.vk4j.server;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server key manager whose key and certificate can be swapped while the server runs: new TLS
 * handshakes use the newest material, so a renewed Secret takes effect without a restart. Each
 * generation has its own alias, so a handshake that chose an alias before a swap still finds the
 * matching key; the previous generation stays available for that.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

  private final AtomicLong generation = new AtomicLong();
  private final ConcurrentMap<String, KeyMaterial> byAlias = new ConcurrentHashMap<>();
  private volatile String currentAlias;

  public ReloadingKeyManager(KeyMaterial initial) {
    update(initial);
  }

  /**
   * Serves the certificate chain and key of two PEM files and follows them: a change that reads
   * as a matching pair is served to new handshakes, anything else is logged and the previous pair
   * stays (a Secret being rotated is briefly half-written).
   *
   * @throws IOException when the files cannot be used now
   */
  public static ReloadingKeyManager fromFiles(Path certificateFile, Path keyFile, FileWatcher watcher)
      throws IOException {
    ReloadingKeyManager keys = new ReloadingKeyManager(PemFiles.read(certificateFile, keyFile));
    watcher.watch(List.of(certificateFile, keyFile), () -> {
      keys.update(PemFiles.read(certificateFile, keyFile));
      LOG.info("reloaded the serving certificate from {} (subject {}, expires {})", certificateFile,
          keys.current().leaf().getSubjectX500Principal(), keys.current().leaf().getNotAfter());
    });
    return keys;
  }

  public synchronized void update(KeyMaterial material) {
    String previous = currentAlias;
    String alias = "serving-" + generation.incrementAndGet();
    byAlias.put(alias, material);
    currentAlias = alias;
    byAlias.keySet().removeIf(existing -> !existing.equals(alias) && !existing.equals(previous));
  }

  public KeyMaterial current() {
    return byAlias.get(currentAlias);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    String alias = currentAlias;
    KeyMaterial material = byAlias.get(alias);
    return material != null && matchesKeyType(material, keyType) ? alias : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = chooseServerAlias(keyType, issuers, null);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    KeyMaterial material = byAlias.get(alias);
    return material == null ? null : material.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    KeyMaterial material = byAlias.get(alias);
    return material == null ? null : material.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  /** TLS 1.2 asks per key type ("EC", "RSA", "EC_EC"...); TLS 1.3 asks by signature scheme's key type. */
  private static boolean matchesKeyType(KeyMaterial material, String keyType) {
    String algorithm = material.key().getAlgorithm();
    return keyType == null || keyType.startsWith(algorithm) || ("RSASSA-PSS".equals(keyType) && "RSA".equals(algorithm));
  }
}
