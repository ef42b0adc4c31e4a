/**
 * The in-memory provider: pods that live in the JVM, scriptable through annotations, for demos,
 * tests and benchmarks of the vk4j runtime. Start with {@link io.vk4j.provider.fake.FakeProvider}
 * and {@link io.vk4j.provider.fake.FakeAnnotations}.
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    defaults = @Value.Immutable(copy = false),
    jdkOnly = false)
package io.vk4j.provider.fake;

import org.immutables.value.Value;
