package io.vk4j.runtime.internal.kubelet;

import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.vk4j.api.AttachIO;
import io.vk4j.api.ContainerExec;
import io.vk4j.api.ContainerLogOptions;
import io.vk4j.api.ContainerLogs;
import io.vk4j.api.ContainerRef;
import io.vk4j.api.NotFoundException;
import io.vk4j.api.PodRef;
import io.vk4j.api.PodStats;
import io.vk4j.api.PodStatsSource;
import io.vk4j.api.PortForward;
import io.vk4j.api.Provider;
import io.vk4j.api.ProviderException;
import io.vk4j.api.TerminalSize;
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

/** A provider with every optional capability but attach, whose answers the test sets. */
class TestProvider implements Provider, ContainerLogs, PodStatsSource, ContainerExec, PortForward {
  final List<V1Pod> pods = new CopyOnWriteArrayList<>();
  /** Log streams by container; a stream is handed out once. */
  final Map<ContainerRef, InputStream> logs = new ConcurrentHashMap<>();
  final List<ContainerLogOptions> logRequests = new CopyOnWriteArrayList<>();
  final List<TerminalSize> sizes = new CopyOnWriteArrayList<>();
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
   * Writes its arguments to stdout, copies stdin to stderr (stdout with a terminal) until it ends,
   * records terminal sizes, and exits with the argument count; {@code fail} throws instead.
   */
  @Override
  public int runInContainer(ContainerRef container, List<String> command, AttachIO io) throws ProviderException {
    if (command.get(0).equals("fail")) {
      throw new ProviderException("Broken", "the command could not start");
    }
    io.onResize(sizes::add);
    try {
      OutputStream out = io.stdout().orElse(OutputStream.nullOutputStream());
      out.write(String.join(" ", command).getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (io.stdin().isPresent()) {
        io.stdin().get().transferTo(io.stderr().orElse(out));
      }
    } catch (IOException e) {
      throw new ProviderException("ExecFailed", e.toString(), e);
    }
    return command.size();
  }

  /** Echoes what the client sends, after a greeting naming the port. */
  @Override
  public void portForward(PodRef pod, int port, InputStream fromClient, OutputStream toClient) throws ProviderException {
    try {
      toClient.write(("port " + port + "\n").getBytes(StandardCharsets.UTF_8));
      fromClient.transferTo(toClient);
    } catch (IOException e) {
      throw new ProviderException("Gone", e.toString(), e);
    }
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
