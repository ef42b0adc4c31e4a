package io.vk4j.runtime.kubelet;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A provider with every optional capability, whose answers the test sets. */
class TestProvider implements Provider, ContainerLogs, PodStatsSource, ContainerExec {
  final List<V1Pod> pods = new CopyOnWriteArrayList<>();
  /** Log streams by container; a stream is handed out once. */
  final Map<ContainerRef, InputStream> logs = new ConcurrentHashMap<>();
  final List<ContainerLogOptions> logRequests = new CopyOnWriteArrayList<>();
  volatile List<PodStats> stats = List.of();
  volatile ProviderException statsFailure;

  void log(ContainerRef container, String text) {
    logs.put(container, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public InputStream containerLogs(ContainerRef container, ContainerLogOptions options) throws ProviderException {
    logRequests.add(options);
    InputStream log = logs.remove(container);
    if (log == null) {
      throw new NotFoundException("no container " + container);
    }
    return log;
  }

  @Override
  public List<PodStats> podStats() throws ProviderException {
    if (statsFailure != null) {
      throw statsFailure;
    }
    return stats;
  }

  /**
   * Echoes its arguments to stdout, stdin to stderr, and exits with the argument count; {@code flood}
   * writes 5 MiB to stdout instead.
   */
  @Override
  public int runInContainer(ContainerRef container, List<String> command, AttachIO io) throws ProviderException {
    if (!container.containerName().equals("app")) {
      throw new NotFoundException("no container " + container);
    }
    try {
      OutputStream out = io.stdout().orElseThrow();
      if (command.get(0).equals("flood")) {
        byte[] line = "0123456789abcdef\n".repeat(64).getBytes(StandardCharsets.UTF_8); // 1 KiB
        for (int i = 0; i < 5 * 1024; i++) {
          out.write(line);
        }
        return 0;
      }
      out.write(String.join(" ", command).getBytes(StandardCharsets.UTF_8));
      if (io.stdin().isPresent()) {
        io.stdin().get().transferTo(io.stderr().orElseThrow());
      }
    } catch (IOException e) {
      throw new ProviderException("ExecFailed", e.toString(), e);
    }
    return command.size();
  }

  @Override
  public void createPod(V1Pod pod) {
    pods.add(pod);
  }

  @Override
  public void updatePod(V1Pod pod) {}

  @Override
  public void deletePod(V1Pod pod) {}

  @Override
  public Optional<V1Pod> getPod(String namespace, String name) {
    return Optional.empty();
  }

  public Optional<V1PodStatus> getPodStatus(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  public List<V1Pod> listPods() {
    return List.copyOf(pods);
  }
}
