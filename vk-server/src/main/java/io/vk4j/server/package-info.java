/**
 * HTTPS serving shared by vk4j's listeners (the kubelet API of the runtime and the admission
 * webhook); internal to vk4j, not an API for providers.
 *
 * <p>{@link io.vk4j.server.HttpsServer} is a Netty server with the limits a listener exposed to a
 * cluster needs: TLS 1.2 and 1.3 with AEAD cipher suites only ({@link io.vk4j.server.ServerTls}),
 * handshake, request and idle timeouts ({@link io.vk4j.server.ConnectionTimeouts}), header and
 * body limits, and a bound on connections with a clear answer past it ({@link
 * io.vk4j.server.ServerLimits}). Certificates come from PEM files reloaded when they change ({@link
 * io.vk4j.server.PemFiles}, {@link io.vk4j.server.FileWatcher}, {@link
 * io.vk4j.server.ReloadingKeyManager}) or are self-issued ({@link
 * io.vk4j.server.SelfSignedCertificates}).
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.server;

import org.immutables.value.Value;
