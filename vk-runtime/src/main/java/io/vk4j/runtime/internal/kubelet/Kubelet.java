package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1Pod;
import io.vk4j.api.Provider;
import io.vk4j.runtime.KubeletApiOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** What every connection of one node's kubelet API shares. */
record Kubelet(
    String nodeName,
    Instant startTime,
    KubeletApiOptions options,
    Provider provider,
    Supplier<List<V1Pod>> podsOnNode,
    Authenticator authenticator,
    Authorizer authorizer,
    /** Bounded pool for provider calls and serialization that must not run on the event loop. */
    Executor workers,
    StreamSlots streams,
    LogStreamer logs) {}
