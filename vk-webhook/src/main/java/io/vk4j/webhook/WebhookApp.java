package io.vk4j.webhook;

import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.vk4j.server.FileWatcher;
import io.vk4j.server.KeyMaterial;
import io.vk4j.server.ReloadingKeyManager;
import io.vk4j.server.SelfSignedCertificates;
import org.immutables.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running webhook, wired: configuration (hot-reloaded from a file), certificates (from files,
 * reloaded, or self-issued with the CA written into the MutatingWebhookConfiguration), the
 * namespace cache and the HTTPS server. {@link WebhookMain} and the end-to-end tests start it.
 */
final class WebhookApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookApp.class);
  private static final Duration CA_RETRY = Duration.ofSeconds(5);
  /** The configuration may be re-created or re-applied: check that it still trusts us now and then. */
  private static final Duration CA_RECHECK = Duration.ofMinutes(1);

  /** Everything {@link #start} needs besides the API client. */
  @Value.Immutable
  abstract static class Settings {
    @Value.Default
    ServerOptions server() {
      return ServerOptions.builder().build();
    }

    /** YAML/JSON rules file, reloaded when it changes; absent: {@link AffinityConfig#defaults()}. */
    abstract Optional<Path> configFile();

    abstract Optional<Path> tlsCertFile();

    abstract Optional<Path> tlsKeyFile();

    /** Subject alternative names of the self-issued serving certificate (used without cert files). */
    abstract List<String> selfSignedDnsNames();

    abstract List<String> selfSignedIpAddresses();

    /** The MutatingWebhookConfiguration to write the self-issued CA into. */
    abstract Optional<String> webhookConfigurationName();

    @Value.Default
    Duration reloadInterval() {
      return Duration.ofSeconds(2);
    }

    @Value.Check
    protected void check() {
      if (tlsCertFile().isPresent() != tlsKeyFile().isPresent()) {
        throw new IllegalArgumentException("give both the TLS certificate file and the TLS key file, or neither");
      }
    }

    boolean selfSigned() {
      return tlsCertFile().isEmpty();
    }

    static Builder builder() {
      return new Builder();
    }

    static final class Builder extends ImmutableSettings.Builder {}
  }

  private final FileWatcher watcher;
  private final NamespaceCache namespaces;
  private final WebhookServer server;
  private final ReloadingKeyManager keys;
  private final Optional<SelfSignedCertificates.Issued> issued;
  private final ScheduledExecutorService background;
  private volatile boolean caInjected;

  private WebhookApp(FileWatcher watcher, NamespaceCache namespaces, WebhookServer server, ReloadingKeyManager keys,
      Optional<SelfSignedCertificates.Issued> issued) {
    this.watcher = watcher;
    this.namespaces = namespaces;
    this.server = server;
    this.keys = keys;
    this.issued = issued;
    this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "vk-webhook-ca-injector");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts serving; throws when the configuration or certificate files are unusable.
   *
   * @param client API access; its read timeout is set to zero, as it carries the namespace watch
   */
  static WebhookApp start(Settings settings, ApiClient client) throws IOException, ConfigParser.InvalidConfigException {
    FileWatcher watcher = new FileWatcher(settings.reloadInterval());
    NamespaceCache namespaces = null;
    try {
      Supplier<AffinityConfig> config = settings.configFile().isPresent()
          ? new ReloadingConfig(settings.configFile().get(), watcher)
          : AffinityConfig::defaults;
      LOG.info("{} rule(s): {}", config.get().rules().size(),
          config.get().rules().stream().map(r -> r.name() + " (" + r.mode().configName() + ")").toList());

      ReloadingKeyManager keys;
      Optional<SelfSignedCertificates.Issued> issued = Optional.empty();
      if (settings.selfSigned()) {
        SelfSignedCertificates.Issued certificates = SelfSignedCertificates.issue(
            "vk-webhook", settings.selfSignedDnsNames(), settings.selfSignedIpAddresses());
        keys = new ReloadingKeyManager(certificates.serving());
        issued = Optional.of(certificates);
      } else {
        keys = ReloadingKeyManager.fromFiles(settings.tlsCertFile().get(), settings.tlsKeyFile().get(), watcher);
      }

      namespaces = new NamespaceCache(client);
      namespaces.start();
      NamespaceCache cache = namespaces;
      AdmissionController controller = new AdmissionController(config, cache);
      WebhookServer server = new WebhookServer(settings.server(), keys, controller, cache::synced);
      WebhookApp app = new WebhookApp(watcher, namespaces, server, keys, issued);
      server.start();
      if (settings.webhookConfigurationName().isPresent() && issued.isPresent()) {
        app.injectCaUntilDone(new CaBundleInjector(client, settings.webhookConfigurationName().get()), issued.get());
      }
      return app;
    } catch (IOException | ConfigParser.InvalidConfigException | RuntimeException e) {
      watcher.close();
      if (namespaces != null) {
        namespaces.close();
      }
      throw e;
    }
  }

  int port() {
    return server.port();
  }

  /** The PEM of the self-issued CA, when self-signed. */
  Optional<String> caPem() {
    return issued.map(SelfSignedCertificates.Issued::caPem);
  }

  boolean ready() {
    return namespaces.synced();
  }

  boolean caInjected() {
    return caInjected;
  }

  NamespaceCache namespaceCache() {
    return namespaces;
  }

  KeyMaterial servingKeyMaterial() {
    return keys.current();
  }

  private void injectCaUntilDone(CaBundleInjector injector, SelfSignedCertificates.Issued certificates) {
    background.execute(new Runnable() {
      @Override
      public void run() {
        Duration next = CA_RECHECK;
        try {
          injector.inject(certificates.ca());
          caInjected = true;
        } catch (Exception e) {
          LOG.warn("cannot write our CA into the MutatingWebhookConfiguration yet ({}); retrying in {} s",
              e instanceof io.kubernetes.client.openapi.ApiException api ? "HTTP " + api.getCode() : e.toString(),
              CA_RETRY.toSeconds());
          next = CA_RETRY;
        }
        if (!background.isShutdown()) {
          background.schedule(this, next.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    });
  }

  @Override
  public void close() {
    background.shutdownNow();
    server.close();
    watcher.close();
    namespaces.close();
  }
}
