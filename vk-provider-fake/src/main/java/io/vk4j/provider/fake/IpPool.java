package io.vk4j.provider.fake;

import java.util.BitSet;
import java.util.Optional;

/**
 * Hands out the IPv4 addresses of one CIDR range. The network address, the first address (by
 * convention the gateway) and the broadcast address are never handed out. Allocation goes round
 * the range rather than reusing the address just released, as real IPAM does, so a stale status
 * rarely names an address that already belongs to another pod.
 */
final class IpPool {
  private final int base;
  private final int size;
  private final BitSet used;
  private int next;
  private int free;

  private IpPool(int base, int size) {
    this.base = base;
    this.size = size;
    this.used = new BitSet(size);
    this.free = size;
  }

  /** @throws IllegalArgumentException when {@code cidr} is not an IPv4 range with room for pods */
  static IpPool parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("podCidr must look like 10.244.0.0/16: " + cidr);
    }
    int address = parseAddress(cidr.substring(0, slash), cidr);
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("podCidr has no valid prefix length: " + cidr);
    }
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("podCidr prefix must be between /8 and /30: " + cidr);
    }
    int mask = -1 << (32 - prefix);
    int network = address & mask;
    int total = 1 << (32 - prefix);
    // skip network, gateway (first host) and broadcast
    return new IpPool(network + 2, total - 3);
  }

  private static int parseAddress(String text, String cidr) {
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      throw new IllegalArgumentException("podCidr must be an IPv4 range like 10.244.0.0/16: " + cidr);
    }
    int address = 0;
    for (String octet : octets) {
      int value;
      try {
        value = Integer.parseInt(octet);
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException("podCidr has an invalid address: " + cidr);
      }
      address = address << 8 | value;
    }
    return address;
  }

  /** A free address, or empty when the range is exhausted. */
  synchronized Optional<String> allocate() {
    if (free == 0) {
      return Optional.empty();
    }
    int index = used.nextClearBit(next);
    if (index >= size) {
      index = used.nextClearBit(0);
    }
    used.set(index);
    free--;
    next = index + 1 == size ? 0 : index + 1;
    return Optional.of(format(base + index));
  }

  /** Returns an address to the pool; addresses it did not hand out are ignored. */
  synchronized void release(String ip) {
    int index = parseAddress(ip, ip) - base;
    if (index >= 0 && index < size && used.get(index)) {
      used.clear(index);
      free++;
    }
  }

  synchronized int available() {
    return free;
  }

  int size() {
    return size;
  }

  private static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
  }
}
