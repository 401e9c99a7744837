package io.meridian.protocol.prometheus;

import io.meridian.protocol.SeriesKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

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
 * concurrent use: lookups take no lock, additions take one.
 *
 * <p>Laid out for lookups that miss the CPU caches (one per series of every request, over every
 * series a node receives): an open-addressing table of {@code long} slots, each the upper half of
 * the entry's 64-bit hash and where its label bytes start in one shared byte array (a length, then
 * the bytes), and the keys in a parallel array at the same index. A hit reads a slot and, at the
 * same time, the key beside it, then the label bytes: two memory accesses one after the other,
 * where a {@code ConcurrentHashMap} of byte-array keys took five (table, node, key object, its
 * array, value), and about 30 bytes an entry besides the label bytes instead of about 100.
 */
public final class SeriesKeyCache {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

  private static final int INITIAL_SLOTS = 1024;
  private static final int INITIAL_ARENA = 64 * 1024;

  /** The label bytes of all entries may take at most this much; beyond it the cache starts over. */
  static final int MAX_ARENA = Integer.MAX_VALUE - 64;

  private final int maxEntries;

  /**
   * The current table. Entries are added in place (bytes and key first, then the slot with release
   * semantics, so that a lookup that sees the slot sees them); growing or starting over builds a
   * new table and publishes it whole.
   */
  private volatile Table table = new Table(INITIAL_SLOTS, INITIAL_ARENA);

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
  public synchronized int size() {
    return table.size;
  }

  /** The key cached for {@code tenant} and the labels at {@code bytes[from, to)}, or null. */
  SeriesKey get(String tenant, byte[] bytes, int from, int to) {
    if (maxEntries == 0) {
      return null;
    }
    long hash = hash(tenant, bytes, from, to);
    Table t = table;
    int at = t.find(hash, tenant, bytes, from, to);
    return at >= 0 ? t.keys[at] : null;
  }

  /**
   * Caches {@code key} (valid, decoded from the labels at {@code bytes[from, to)}) and returns the
   * key to use: an equal key with its strings interned, shared by every later request.
   */
  SeriesKey put(String tenant, byte[] bytes, int from, int to, SeriesKey key) {
    if (maxEntries == 0) {
      return key;
    }
    long hash = hash(tenant, bytes, from, to);
    SeriesKey shared = interned(key);
    int length = to - from;
    synchronized (this) {
      Table t = table;
      int found = t.find(hash, tenant, bytes, from, to);
      if (found >= 0) {
        return t.keys[found];
      }
      long need = (long) t.used + Integer.BYTES + length;
      if (t.size >= maxEntries || need > MAX_ARENA) {
        t = new Table(INITIAL_SLOTS, Math.max(INITIAL_ARENA, Integer.BYTES + length));
        table = t;
      } else if ((t.size + 1) * 2L > t.slots.length || need > t.arena.length) {
        t = t.grown(Integer.BYTES + length);
        table = t;
      }
      t.add(hash, bytes, from, to, shared);
      return shared;
    }
  }

  private static SeriesKey interned(SeriesKey key) {
    TreeMap<String, String> tags = new TreeMap<>();
    for (Map.Entry<String, String> tag : key.tags().entrySet()) {
      tags.put(tag.getKey().intern(), tag.getValue().intern());
    }
    return SeriesKey.ofOwned(key.tenant().intern(), key.metric().intern(), tags);
  }

  /** A 64-bit multiply-xorshift mix of the tenant and the bytes, 8 bytes at a time. */
  static long hash(String tenant, byte[] bytes, int from, int to) {
    long h = tenant.hashCode() * 0x9E3779B97F4A7C15L + (to - from);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = (h ^ (long) LONGS.get(bytes, i)) * 0xFF51AFD7ED558CCDL;
      h ^= h >>> 29;
    }
    for (; i < to; i++) {
      h = (h ^ (bytes[i] & 0xFF)) * 0xC4CEB9FE1A85EC53L;
    }
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 32);
  }

  /**
   * One generation of the cache. A slot is 0 when empty, else the hash's upper 32 bits and, in the
   * lower 32, one more than the offset of the entry's bytes in {@code arena} (a length, then the
   * label bytes). Written only under the cache's lock; read by any thread.
   */
  private static final class Table {
    final long[] slots;
    final SeriesKey[] keys;
    final byte[] arena;
    int used;
    int size;

    Table(int slots, int arenaBytes) {
      this.slots = new long[slots];
      this.keys = new SeriesKey[slots];
      this.arena = new byte[arenaBytes];
    }

    /** The slot of the entry for these labels, or -1. */
    int find(long hash, String tenant, byte[] bytes, int from, int to) {
      int mask = slots.length - 1;
      int tag = (int) (hash >>> 32);
      int length = to - from;
      for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
        long slot = (long) SLOTS.getAcquire(slots, i);
        if (slot == 0) {
          return -1;
        }
        SeriesKey key = keys[i];
        if ((int) (slot >>> 32) == tag) {
          int offset = (int) slot - 1;
          int start = offset + Integer.BYTES;
          if ((int) INTS.get(arena, offset) == length
              && Arrays.equals(arena, start, start + length, bytes, from, to)
              && key.tenant().equals(tenant)) {
            return i;
          }
        }
      }
    }

    /** Adds an entry known to be absent; the table has room for it (slots and bytes). */
    void add(long hash, byte[] bytes, int from, int to, SeriesKey key) {
      int mask = slots.length - 1;
      int i = (int) hash & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      int offset = used;
      int length = to - from;
      INTS.set(arena, offset, length);
      System.arraycopy(bytes, from, arena, offset + Integer.BYTES, length);
      used = offset + Integer.BYTES + length;
      keys[i] = key;
      SLOTS.setRelease(slots, i, (hash & 0xFFFFFFFF00000000L) | (offset + 1L));
      size++;
    }

    /** A copy with twice the slots when half are taken and room for {@code more} bytes. */
    Table grown(int more) {
      int slotCount = (size + 1) * 2L > slots.length ? slots.length * 2 : slots.length;
      long bytes = (long) used + more;
      int arenaBytes =
          bytes > arena.length
              ? (int) Math.min(MAX_ARENA, Math.max(bytes, arena.length * 3L / 2))
              : arena.length;
      Table grown = new Table(slotCount, arenaBytes);
      for (int i = 0; i < slots.length; i++) {
        long slot = slots[i];
        if (slot != 0) {
          int offset = (int) slot - 1;
          int start = offset + Integer.BYTES;
          int length = (int) INTS.get(arena, offset);
          grown.add(
              hash(keys[i].tenant(), arena, start, start + length),
              arena,
              start,
              start + length,
              keys[i]);
        }
      }
      return grown;
    }
  }
}
