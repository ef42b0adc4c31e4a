/**
 * vk4j's runtime: a generic kubelet that makes any {@link io.vk4j.api.Provider} a Kubernetes
 * virtual node. The entry point is {@link io.vk4j.runtime.VirtualNode}; its settings are
 * {@link io.vk4j.runtime.VirtualNodeOptions}. Everything under {@code io.vk4j.runtime.internal} is
 * internal and may change without notice.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.runtime;

import org.immutables.value.Value;
