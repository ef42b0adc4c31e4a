package io.vk4j.api;

/** Told by a provider that its part of the Node changed, see {@link Provider#configureNode}. */
@FunctionalInterface
public interface NodeChangeListener {

  /** Asks the runtime to call {@link Provider#configureNode} again soon. Never blocks. */
  void nodeChanged();
}
