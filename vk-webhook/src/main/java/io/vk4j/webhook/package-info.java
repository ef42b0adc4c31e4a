/**
 * The virtual-node affinity mutating admission webhook.
 *
 * <p>Pods selected by an {@link io.vk4j.webhook.AffinityConfig} (pod labels and namespace labels,
 * evaluated as ordered {@link io.vk4j.webhook.AffinityRule}s) are patched so they run on virtual
 * nodes: in {@link io.vk4j.webhook.InjectionMode#REQUIRE} mode with a nodeSelector, in
 * {@link io.vk4j.webhook.InjectionMode#PREFER} mode with a preferred node affinity, always with the
 * toleration for the virtual node's taint. {@link io.vk4j.webhook.WebhookServer} serves
 * AdmissionReview v1 over HTTPS; {@link io.vk4j.webhook.WebhookMain} is the command line.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.webhook;

import org.immutables.value.Value;
