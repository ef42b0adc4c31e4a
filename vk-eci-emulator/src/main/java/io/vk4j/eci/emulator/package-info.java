/**
 * A local emulator of the Alibaba Cloud Elastic Container Instance (ECI) OpenAPI, version 2018-08-08, RPC
 * style: the part of it a virtual-node provider uses.
 *
 * <p>{@link io.vk4j.eci.emulator.EciEmulator} starts an HTTP server that verifies request signatures the
 * way Alibaba's gateway does (V1 HMAC-SHA1 query signatures and V3 {@code ACS3-HMAC-SHA256} header
 * signatures), keeps container groups in memory, moves them through ECI's statuses, and answers with
 * ECI's field names and error shapes. {@link io.vk4j.eci.emulator.FaultInjector} injects throttling,
 * server errors, slow responses and zones without stock on demand; {@link
 * io.vk4j.eci.emulator.EciEmulatorMain} runs it standalone.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.eci.emulator;

import org.immutables.value.Value;
