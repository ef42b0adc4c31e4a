package io.vk4j.runtime.internal.kubelet;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops reading a connection while any of its inputs holds more than it may buffer, and reads on
 * once all have been drained: a provider that reads stdin slowly slows the client down instead of
 * filling memory. One per upgraded connection.
 */
final class ReadGate {
  private final Channel channel;
  private final Set<Object> full = ConcurrentHashMap.newKeySet();

  ReadGate(Channel channel) {
    this.channel = channel;
  }

  void full(Object input) {
    if (full.add(input)) {
      channel.eventLoop().execute(this::apply);
    }
  }

  void drained(Object input) {
    if (full.remove(input)) {
      channel.eventLoop().execute(this::apply);
    }
  }

  private void apply() {
    channel.config().setAutoRead(full.isEmpty());
  }
}
