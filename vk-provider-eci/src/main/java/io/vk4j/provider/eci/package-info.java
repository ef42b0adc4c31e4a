/**
 * The Alibaba Cloud ECI provider: runs the pods of one virtual node as ECI container groups.
 *
 * <p>Select it with {@code --provider eci} ({@link io.vk4j.provider.eci.EciProviderFactory}); it is
 * configured through {@code ECI_*} settings, see {@code docs/eci-provider.md}. Everything else in
 * this package is internal: the typed ECI API layer ({@code EciClient} over a resilient
 * {@code EciTransport}), the pure pod-to-container-group and status mappings, and the status poller.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.provider.eci;

import org.immutables.value.Value;
