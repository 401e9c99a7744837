package io.meridian.protocol.prometheus;

import io.meridian.protocol.SeriesKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series keys of remote-write requests, by the exact bytes of their labels in the protobuf.
 * Senders send the same series every scrape with the same labels in the same order, so a series
 * seen before costs one hash and one comparison of its label bytes instead of decoding, checking
 * and sorting its labels into a new key; and the key is the same object each time, so later lookups
 * by key (its group, its series in the group) find it by identity.
 *
 * <p>Only valid keys enter (the decoder checks a series before it caches it). Bounded: when it
 * holds {@code maxEntries} keys it starts over empty, which costs a round of decoding; a sender
 * with more series than that gains nothing from the cache but loses nothing either. Safe for
 * concurrent use.
 */
public final class SeriesKeyCache {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int maxEntries;
  private final ConcurrentHashMap<LabelBytes, SeriesKey> keys = new ConcurrentHashMap<>();

  /**
   * @param maxEntries most keys held; 0 turns the cache off
   */
  public SeriesKeyCache(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** Keys held now. */
  public int size() {
    return keys.size();
  }

  /** The key cached for {@code tenant} and the labels at {@code bytes[from, to)}, or null. */
  SeriesKey get(String tenant, byte[] bytes, int from, int to) {
    if (maxEntries == 0) {
      return null;
    }
    return keys.get(new LabelBytes(tenant, bytes, from, to, hash(tenant, bytes, from, to)));
  }

  /**
   * Caches {@code key} (valid, decoded from the labels at {@code bytes[from, to)}) and returns the
   * key to use: an equal key with its strings interned, shared by every later request.
   */
  SeriesKey put(String tenant, byte[] bytes, int from, int to, SeriesKey key) {
    if (maxEntries == 0) {
      return key;
    }
    if (keys.size() >= maxEntries) {
      keys.clear();
    }
    byte[] own = Arrays.copyOfRange(bytes, from, to);
    LabelBytes entry = new LabelBytes(tenant, own, 0, own.length, hash(tenant, bytes, from, to));
    SeriesKey shared = interned(key);
    SeriesKey previous = keys.putIfAbsent(entry, shared);
    return previous != null ? previous : shared;
  }

  private static SeriesKey interned(SeriesKey key) {
    TreeMap<String, String> tags = new TreeMap<>();
    for (Map.Entry<String, String> tag : key.tags().entrySet()) {
      tags.put(tag.getKey().intern(), tag.getValue().intern());
    }
    return SeriesKey.ofOwned(key.tenant().intern(), key.metric().intern(), tags);
  }

  /** A 64-bit multiply-xorshift mix over 8 bytes at a time, folded to an int. */
  static int hash(String tenant, byte[] bytes, int from, int to) {
    long h = tenant.hashCode() * 0x9E3779B97F4A7C15L + (to - from);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = (h ^ (long) LONGS.get(bytes, i)) * 0xFF51AFD7ED558CCDL;
      h ^= h >>> 29;
    }
    for (; i < to; i++) {
      h = (h ^ (bytes[i] & 0xFF)) * 0xC4CEB9FE1A85EC53L;
    }
    h ^= h >>> 32;
    return (int) h;
  }

  /** A tenant and a range of label bytes: a probe over a request, or an entry over its copy. */
  private static final class LabelBytes {
    private final String tenant;
    private final byte[] bytes;
    private final int from;
    private final int to;
    private final int hash;

    LabelBytes(String tenant, byte[] bytes, int from, int to, int hash) {
      this.tenant = tenant;
      this.bytes = bytes;
      this.from = from;
      this.to = to;
      this.hash = hash;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LabelBytes that
          && hash == that.hash
          && Arrays.equals(bytes, from, to, that.bytes, that.from, that.to)
          && tenant.equals(that.tenant);
    }
  }
}
