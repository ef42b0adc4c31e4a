package io.vk4j.eci.emulator;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The vSwitches the emulator knows: each in a zone with a CIDR block from which group IPs are handed out.
 * A vSwitch that was not configured is made up on first use: a zone derived from its id and the next
 * 10.N.0.0/16 block from 10.100.0.0/16 on (declare vSwitches to choose their blocks). Guarded by the store's lock.
 */
final class Network {

  /** A vSwitch as configured or made up. */
  static final class VSwitch {
    final String id;
    final String zoneId;
    final int base;
    final int size;
    final BitSet used = new BitSet();

    VSwitch(String id, String zoneId, String cidr) {
      this.id = id;
      this.zoneId = zoneId;
      String[] parts = cidr.split("/");
      if (parts.length != 2) {
        throw new IllegalArgumentException("not a CIDR block: " + cidr);
      }
      InetAddress address = InetAddresses.forString(parts[0]);
      if (!(address instanceof Inet4Address)) {
        throw new IllegalArgumentException("only IPv4 CIDR blocks: " + cidr);
      }
      int prefix = Integer.parseInt(parts[1]);
      if (prefix < 8 || prefix > 29) {
        throw new IllegalArgumentException("prefix must be 8..29: " + cidr);
      }
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      this.base = InetAddresses.coerceToInteger(address) & mask;
      this.size = 1 << (32 - prefix);
    }

    /** Usable addresses: like VPC vSwitches, the first and last three of a block are reserved. */
    Optional<String> allocate() {
      int first = 1;
      int last = size - 4;
      int free = used.nextClearBit(first);
      if (free > last) {
        return Optional.empty();
      }
      used.set(free);
      return Optional.of(InetAddresses.toAddrString(InetAddresses.fromInteger(base + free)));
    }

    /** Marks an address taken, for groups read back from a state file. */
    void reserve(String ip) {
      int offset = InetAddresses.coerceToInteger(InetAddresses.forString(ip)) - base;
      if (offset >= 0 && offset < size) {
        used.set(offset);
      }
    }

    void release(String ip) {
      int offset = InetAddresses.coerceToInteger(InetAddresses.forString(ip)) - base;
      if (offset >= 0 && offset < size) {
        used.clear(offset);
      }
    }
  }

  static final String DEFAULT_VSWITCH = "vsw-emulator-default";

  private final String regionId;
  private final Map<String, VSwitch> vSwitches = new LinkedHashMap<>();
  private int madeUp;

  Network(String regionId, Map<String, String[]> configured) {
    this.regionId = regionId;
    configured.forEach((id, zoneAndCidr) -> vSwitches.put(id, new VSwitch(id, zoneAndCidr[0], zoneAndCidr[1])));
  }

  /** More made-up vSwitches than this are refused, so junk ids cannot grow the emulator without bound. */
  static final int MAX_VSWITCHES = 1000;

  VSwitch vSwitch(String id) {
    if (!vSwitches.containsKey(id) && vSwitches.size() >= MAX_VSWITCHES) {
      throw new ApiException(400, "InvalidVSwitchId.NotFound", "The emulator already knows " + MAX_VSWITCHES + " vSwitches; " + id + " is not one of them.");
    }
    return vSwitches.computeIfAbsent(id, key -> {
      int n = madeUp++;
      return new VSwitch(key, derivedZone(key), "10." + (100 + n % 150) + ".0.0/16");
    });
  }

  /** A stable zone for an unknown vSwitch: region plus a letter from a..h picked by the id. */
  String derivedZone(String vSwitchId) {
    char letter = (char) ('a' + Math.floorMod(vSwitchId.hashCode(), 8));
    return regionId + "-" + letter;
  }

  Map<String, VSwitch> all() {
    return vSwitches;
  }
}
