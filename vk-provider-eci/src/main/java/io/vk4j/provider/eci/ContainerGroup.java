package io.vk4j.provider.eci;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** A container group as {@code DescribeContainerGroups} reports it (the fields the provider uses). */
@Value.Immutable
abstract class ContainerGroup {
  abstract String id();

  abstract String name();

  /** Scheduling, Pending, Running, Succeeded, Failed, ScheduleFailed, Restarting, Updating, Terminating, Expired. */
  abstract String status();

  abstract Optional<String> intranetIp();

  abstract Optional<String> zoneId();

  abstract Optional<String> vSwitchId();

  abstract Optional<Instant> creationTime();

  abstract Map<String, String> tags();

  abstract List<Event> events();

  abstract List<Container> containers();

  abstract List<Container> initContainers();

  static Builder builder() {
    return new Builder();
  }

  static final class Builder extends ImmutableContainerGroup.Builder {}

  /** One container of the group. */
  @Value.Immutable
  abstract static class Container {
    abstract String name();

    abstract String image();

    @Value.Default
    boolean ready() {
      return false;
    }

    @Value.Default
    int restartCount() {
      return 0;
    }

    abstract Optional<State> currentState();

    abstract Optional<State> previousState();

    static Builder builder() {
      return new Builder();
    }

    static final class Builder extends ImmutableContainer.Builder {}
  }

  /** A container's state: Waiting, Running or Terminated. */
  @Value.Immutable
  abstract static class State {
    abstract String state();

    abstract Optional<String> detailStatus();

    abstract Optional<String> reason();

    abstract Optional<String> message();

    abstract OptionalInt exitCode();

    abstract OptionalInt signal();

    abstract Optional<Instant> startTime();

    abstract Optional<Instant> finishTime();

    static Builder builder() {
      return new Builder();
    }

    static final class Builder extends ImmutableState.Builder {}
  }

  /** An event ECI recorded for the group. */
  @Value.Immutable
  abstract static class Event {
    /** Normal or Warning. */
    abstract String type();

    abstract String reason();

    abstract String message();

    @Value.Default
    int count() {
      return 1;
    }

    abstract Optional<Instant> firstTimestamp();

    abstract Optional<Instant> lastTimestamp();

    /** Identifies one occurrence series of this event across polls. */
    @Value.Derived
    String key() {
      return type() + "|" + reason() + "|" + message() + "|" + firstTimestamp().map(Instant::toString).orElse("");
    }

    static Builder builder() {
      return new Builder();
    }

    static final class Builder extends ImmutableEvent.Builder {}
  }
}
