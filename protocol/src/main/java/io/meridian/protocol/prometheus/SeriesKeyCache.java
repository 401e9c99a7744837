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
 * seen before costs one comparison of its label bytes instead of decoding, checking and sorting its
 * labels into a new key; and the key is the same object each time, so later lookups by key (its
 * group, its series in the group) find it by identity.
 *
 * <p>Only valid keys enter (the decoder checks a series before it caches it). Bounded: when it
 * holds {@code maxEntries} keys it starts over empty, which costs a round of decoding; a sender
 * with more series than that gains nothing from the cache but loses nothing either. Safe for
 * concurrent use: lookups take no lock, additions take one.
 *
 * <p>Laid out for lookups that would otherwise miss the CPU caches (one per series of every
 * request, over every series a node receives). The entries' label bytes follow one another in one
 * byte array in the order they were added (a length, the entry's ordinal, then the bytes), and the
 * keys are in an array by ordinal. A request is read through a {@link Lookup}, which remembers the
 * entry the previous series matched and first tries the entry that followed it last time: since a
 * sender repeats its order, that guess is nearly always right, and it costs one comparison of bytes
 * that lie just after the previous ones in memory, where the processor has prefetched them; no
 * hash, no random access. Otherwise an open-addressing table of {@code long} slots (the upper half
 * of the entry's 64-bit hash and where its bytes start) finds the entry, and the lookup remembers
 * it as the successor of the previous one for the next request.
 */
public final class SeriesKeyCache {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

  private static final int INITIAL_SLOTS = 1024;
  private static final int INITIAL_ARENA = 64 * 1024;

  /** Bytes before an entry's label bytes: their length and the entry's ordinal. */
  private static final int HEADER = 2 * Integer.BYTES;

  /** The label bytes of all entries may take at most this much; beyond it the cache starts over. */
  static final int MAX_ARENA = Integer.MAX_VALUE - 64;

  private final int maxEntries;

  /**
   * The current table. Entries are added in place (bytes and key first, then the slot and the
   * arena's end with release semantics, so that a lookup that sees either sees them); growing or
   * starting over builds a new table and publishes it whole.
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

  /** A lookup for the series of one request, in their order; for one thread. */
  public Lookup lookup() {
    return new Lookup();
  }

  /** The key cached for {@code tenant} and the labels at {@code bytes[from, to)}, or null. */
  SeriesKey get(String tenant, byte[] bytes, int from, int to) {
    return lookup().get(tenant, bytes, from, to);
  }

  /** {@link Lookup#put} on its own. */
  SeriesKey put(String tenant, byte[] bytes, int from, int to, SeriesKey key) {
    return lookup().put(tenant, bytes, from, to, key);
  }

  /**
   * The lookups of one request's series, in order: each remembers the entry it found so that the
   * next tries that entry's successor first (and records it as such when it was another).
   */
  public final class Lookup {
    /** The generation of the table in which the previous entry was found. */
    private Object generation;

    private int previous = -1;

    /** Lookups found by their guess (for tests). */
    int guessed;

    private Lookup() {}

    /** The key cached for {@code tenant} and the labels at {@code bytes[from, to)}, or null. */
    public SeriesKey get(String tenant, byte[] bytes, int from, int to) {
      if (maxEntries == 0) {
        return null;
      }
      Table t = table;
      if (t.generation == generation && previous >= 0) {
        int guess = t.next[previous] - 1;
        if (guess >= 0 && t.matches(guess, tenant, bytes, from, to)) {
          previous = t.ordinalAt(guess);
          guessed++;
          return t.byOrdinal[previous];
        }
      }
      int offset = t.find(hash(tenant, bytes, from, to), tenant, bytes, from, to);
      if (offset < 0) {
        // The previous entry stays: the put that follows a miss links the new entry to it.
        return null;
      }
      return found(t, offset);
    }

    /**
     * Caches {@code key} (valid, decoded from the labels at {@code bytes[from, to)}) and returns
     * the key to use: an equal key with its strings interned, shared by every later request.
     */
    public SeriesKey put(String tenant, byte[] bytes, int from, int to, SeriesKey key) {
      if (maxEntries == 0) {
        return key;
      }
      long hash = hash(tenant, bytes, from, to);
      SeriesKey shared = interned(key);
      int length = to - from;
      synchronized (SeriesKeyCache.this) {
        Table t = table;
        int existing = t.find(hash, tenant, bytes, from, to);
        if (existing >= 0) {
          return found(t, existing);
        }
        long need = (long) t.used + HEADER + length;
        if (t.size >= maxEntries || need > MAX_ARENA) {
          t = new Table(INITIAL_SLOTS, Math.max(INITIAL_ARENA, HEADER + length));
          table = t;
        } else if ((t.size + 1) * 2L > t.slots.length || need > t.arena.length) {
          t = t.grown(HEADER + length);
          table = t;
        }
        return found(t, t.add(hash, bytes, from, to, shared));
      }
    }

    /** The key of the entry at {@code offset}, remembered as the successor of the previous one. */
    private SeriesKey found(Table t, int offset) {
      if (t.generation == generation && previous >= 0 && t.next[previous] != offset + 1) {
        // A plain write: racing lookups may overwrite each other's guesses, which only costs a
        // later guess; a reader checks what it reads.
        t.next[previous] = offset + 1;
      }
      generation = t.generation;
      previous = t.ordinalAt(offset);
      return t.byOrdinal[previous];
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
   * lower 32, one more than the offset of the entry in {@code arena} (the length of its label
   * bytes, its ordinal, then the bytes). Written only under the cache's lock; read by any thread,
   * which sees an entry whole once it sees its slot or an end of the arena beyond it.
   */
  private static final class Table {
    private static final VarHandle USED;

    static {
      try {
        USED = MethodHandles.lookup().findVarHandle(Table.class, "used", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    /**
     * The same for a table and the tables grown from it, which keep its entries' offsets and
     * ordinals; another when the cache starts over.
     */
    final Object generation;

    final long[] slots;
    final byte[] arena;

    /** The keys by ordinal (the order they were added). */
    final SeriesKey[] byOrdinal;

    /**
     * By ordinal, one more than the offset of the entry that a lookup last found right after this
     * one, or 0. Read and written without synchronization: a guess, checked before it is used.
     */
    final int[] next;

    /** The end of the entries in {@code arena}; published with release semantics. */
    int used;

    int size;

    Table(int slots, int arenaBytes) {
      this(
          new Object(),
          new long[slots],
          new byte[arenaBytes],
          new SeriesKey[slots / 2],
          new int[slots / 2]);
    }

    private Table(
        Object generation, long[] slots, byte[] arena, SeriesKey[] byOrdinal, int[] next) {
      this.generation = generation;
      this.slots = slots;
      this.arena = arena;
      this.byOrdinal = byOrdinal;
      this.next = next;
    }

    int ordinalAt(int offset) {
      return (int) INTS.get(arena, offset + Integer.BYTES);
    }

    /** Whether the entry at {@code offset}, if added already, is the one for these labels. */
    boolean matches(int offset, String tenant, byte[] bytes, int from, int to) {
      return offset < (int) USED.getAcquire(this) && holds(offset, tenant, bytes, from, to);
    }

    /** The offset of the entry for these labels, or -1. */
    int find(long hash, String tenant, byte[] bytes, int from, int to) {
      int mask = slots.length - 1;
      int tag = (int) (hash >>> 32);
      for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
        long slot = (long) SLOTS.getAcquire(slots, i);
        if (slot == 0) {
          return -1;
        }
        int offset = (int) slot - 1;
        if ((int) (slot >>> 32) == tag && holds(offset, tenant, bytes, from, to)) {
          return offset;
        }
      }
    }

    /** Whether the published entry at {@code offset} is the one for these labels. */
    private boolean holds(int offset, String tenant, byte[] bytes, int from, int to) {
      int length = to - from;
      int start = offset + HEADER;
      return (int) INTS.get(arena, offset) == length
          && Arrays.equals(arena, start, start + length, bytes, from, to)
          && byOrdinal[ordinalAt(offset)].tenant().equals(tenant);
    }

    /**
     * Adds an entry known to be absent, at the end of the arena; the table has room for it (slots,
     * bytes and ordinals). Returns its offset.
     */
    int add(long hash, byte[] bytes, int from, int to, SeriesKey key) {
      int offset = used;
      int length = to - from;
      int ordinal = size;
      INTS.set(arena, offset, length);
      INTS.set(arena, offset + Integer.BYTES, ordinal);
      System.arraycopy(bytes, from, arena, offset + HEADER, length);
      byOrdinal[ordinal] = key;
      size++;
      USED.setRelease(this, offset + HEADER + length);
      slot(hash, offset);
      return offset;
    }

    /** Publishes the slot of the entry at {@code offset}. */
    private void slot(long hash, int offset) {
      int mask = slots.length - 1;
      int i = (int) hash & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      SLOTS.setRelease(slots, i, (hash & 0xFFFFFFFF00000000L) | (offset + 1L));
    }

    /**
     * A copy with twice the slots when half are taken and room for {@code more} bytes. The entries
     * keep their offsets and ordinals, and so the guesses their meaning.
     */
    Table grown(int more) {
      int slotCount = (size + 1) * 2L > slots.length ? slots.length * 2 : slots.length;
      long bytes = (long) used + more;
      int arenaBytes =
          bytes > arena.length
              ? (int) Math.min(MAX_ARENA, Math.max(bytes, arena.length * 3L / 2))
              : arena.length;
      Table grown =
          new Table(
              generation,
              new long[slotCount],
              Arrays.copyOf(arena, arenaBytes),
              Arrays.copyOf(byOrdinal, slotCount / 2),
              Arrays.copyOf(next, slotCount / 2));
      grown.size = size;
      grown.used = used;
      for (int offset = 0; offset < used; ) {
        int start = offset + HEADER;
        int end = start + (int) INTS.get(arena, offset);
        grown.slot(hash(byOrdinal[ordinalAt(offset)].tenant(), arena, start, end), offset);
        offset = end;
      }
      return grown;
    }
  }
}
