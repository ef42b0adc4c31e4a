package io.vk4j.eci.emulator;

/**
 * Features ECI grants an account only on request (a support ticket puts it on an allow list). An emulator
 * built without them refuses the requests that need them, as ECI does for a default account.
 */
public enum AccountFeature {
  /** {@code Container.N.SecurityContext.Capability.Add.M=NET_RAW}. */
  NET_RAW,
  /** {@code Volume.N.Type=HostPathVolume}. */
  HOST_PATH_VOLUMES,
  /** {@code Container.N.SecurityContextPrivileged=true}. */
  PRIVILEGED_CONTAINERS
}
