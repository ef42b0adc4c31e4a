package io.vk4j.eci.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.immutables.value.Value;

/** A container group as the emulator holds it at one moment, for tests to assert on. */
@Value.Immutable
public abstract class ContainerGroupSnapshot {

  public abstract String id();

  public abstract String name();

  /** ECI status: Scheduling, Pending, Running, Succeeded, Failed, ScheduleFailed, Restarting, Updating, Terminating. */
  public abstract String status();

  public abstract String regionId();

  public abstract String zoneId();

  public abstract String vSwitchId();

  public abstract Optional<String> securityGroupId();

  public abstract Optional<String> intranetIp();

  public abstract String restartPolicy();

  /** Cores. */
  public abstract double cpu();

  /** GiB. */
  public abstract double memory();

  public abstract Optional<String> instanceType();

  public abstract Optional<String> clientToken();

  public abstract Map<String, String> tags();

  public abstract Instant creationTime();

  public abstract List<ContainerSnapshot> initContainers();

  public abstract List<ContainerSnapshot> containers();

  /** Reasons of the group's events, oldest first (Scheduled, Pulling, Pulled, Created, Started, ...). */
  public abstract List<String> eventReasons();

  /** The CreateContainerGroup request exactly as received, flattened ({@code Container.1.Command.1}). */
  public abstract SortedMap<String, String> parameters();

  static ContainerGroupSnapshot of(ContainerGroup g) {
    Builder b = builder()
        .id(g.id)
        .name(g.spec.name)
        .status(g.status)
        .regionId(g.regionId)
        .zoneId(g.zoneId)
        .vSwitchId(g.vSwitchId)
        .securityGroupId(g.spec.securityGroupId)
        .intranetIp(Optional.ofNullable(g.intranetIp))
        .restartPolicy(g.restartPolicy)
        .cpu(g.cpu)
        .memory(g.memory)
        .instanceType(g.spec.instanceType)
        .clientToken(g.spec.clientToken)
        .tags(g.tags)
        .creationTime(g.creationTime)
        .parameters(g.spec.parameters);
    g.initContainers.forEach(c -> b.addInitContainers(ContainerSnapshot.of(c)));
    g.containers.forEach(c -> b.addContainers(ContainerSnapshot.of(c)));
    g.events.forEach(e -> b.addEventReasons(e.reason));
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableContainerGroupSnapshot.Builder {}
}
