/**
 * The provider SPI of vk4j: what a compute backend implements to become a Kubernetes virtual node.
 *
 * <p>A backend implements {@link io.vk4j.api.Provider} (pod lifecycle and node hooks) and may add
 * optional capabilities, each its own interface: {@link io.vk4j.api.PodNotifier} (push status
 * changes instead of being polled), {@link io.vk4j.api.ContainerLogs}, the streaming ones {@link
 * io.vk4j.api.ContainerExec}, {@link io.vk4j.api.ContainerAttach} and {@link
 * io.vk4j.api.PortForward} (their streams are {@link io.vk4j.api.AttachIO} and plain Java streams;
 * each session runs on a runtime thread of its own), and {@link io.vk4j.api.PodStatsSource}. The
 * kubelet API answers 501 for a capability the provider lacks. A {@link
 * io.vk4j.api.ProviderFactory} registered with {@link java.util.ServiceLoader} makes the provider
 * selectable by name.
 *
 * <p>What a provider shares with the runtime, so that each rule has one copy:
 * {@link io.vk4j.api.PodEnvironment} (the addresses only the backend knows, and Kubernetes'
 * {@code $(VAR)} syntax), {@link io.vk4j.api.DownwardApi} (fieldRef and resourceFieldRef values),
 * {@link io.vk4j.api.PodContainers} and {@link io.vk4j.api.GoDuration}.
 *
 * <p>Failures are reported with {@link io.vk4j.api.ProviderException} and its subclasses
 * {@link io.vk4j.api.NotFoundException}, {@link io.vk4j.api.InvalidInputException} and
 * {@link io.vk4j.api.RetryableException}; the runtime's reaction to each is part of the contract.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.api;

import org.immutables.value.Value;
