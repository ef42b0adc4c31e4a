/**
 * The provider conformance kit: extend {@link io.vk4j.testkit.conformance.ProviderConformanceTest}
 * in a provider's tests to check it against the contract of {@code io.vk4j.api.Provider}. See
 * {@code docs/provider-conformance.md}.
 */
package io.vk4j.testkit.conformance;
