package io.meridian.node.series;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.chunk.Varints;
import io.meridian.protocol.chunk.XorChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a {@link GroupSnapshot}'s series: one byte string instead of a CBOR object per
 * series. A group's snapshot holds every series of the group, and as CBOR each series repeated a
 * dozen property names and its key's strings (about 300 bytes before its head); here the strings
 * that keys share (tenant, metric and label names, values such as {@code job}) are written once, in
 * a table, and series refer to them by number, so a series costs a few bytes plus its head's chunk
 * bytes. Smaller snapshots are cheaper to serialize, to write and to compact, and let a group hold
 * more series within what one snapshot may take.
 *
 * <p>Layout, all varints ({@link Varints}, signed values zigzag): a version (1); the string table
 * (count, then each string's UTF-8 length and bytes); the series count; per series its id (the
 * difference from the previous one), its key (tenant, metric, tag count, then name and value of
 * each tag, as string numbers), a flags byte saying which of the following are there, and those:
 * the sample range (min, then max − min), the stored range (likewise), the open chunk (window, last
 * write time, bytes), closed chunks (count, then window and bytes each), late samples (count, then
 * timestamp difference and raw value bits each) and pending chunks (count, then seq and bytes
 * each). Chunk bytes are an {@link XorChunk}'s data, prefixed by their length.
 */
final class SnapshotBlock {

  static final int VERSION = 1;

  private static final int HAS_RANGE = 1;
  private static final int HAS_STORED = 2;
  private static final int HAS_OPEN = 4;
  private static final int HAS_CLOSED = 8;
  private static final int HAS_LATE = 16;
  private static final int HAS_PENDING = 32;

  private SnapshotBlock() {}

  static byte[] encode(List<GroupSnapshot.SeriesImage> series) {
    Map<String, Integer> numbers = new HashMap<>();
    List<String> strings = new ArrayList<>();
    Output body = new Output(64 + series.size() * 48);
    body.unsigned(series.size());
    long previousId = 0;
    for (GroupSnapshot.SeriesImage s : series) {
      body.signed(s.id() - previousId);
      previousId = s.id();
      SeriesKey key = s.key();
      body.unsigned(number(key.tenant(), numbers, strings));
      body.unsigned(number(key.metric(), numbers, strings));
      body.unsigned(key.tags().size());
      for (Map.Entry<String, String> tag : key.tags().entrySet()) {
        body.unsigned(number(tag.getKey(), numbers, strings));
        body.unsigned(number(tag.getValue(), numbers, strings));
      }
      boolean range = s.minTs() != Long.MAX_VALUE || s.maxTs() != Long.MIN_VALUE;
      boolean stored = s.storedMinTs() != Long.MAX_VALUE || s.storedMaxTs() != Long.MIN_VALUE;
      int flags =
          (range ? HAS_RANGE : 0)
              | (stored ? HAS_STORED : 0)
              | (s.open() != null ? HAS_OPEN : 0)
              | (s.closed().isEmpty() ? 0 : HAS_CLOSED)
              | (s.lateTimestamps().length == 0 ? 0 : HAS_LATE)
              | (s.pending().isEmpty() ? 0 : HAS_PENDING);
      body.unsigned(flags);
      if (range) {
        body.signed(s.minTs());
        body.signed(s.maxTs() - s.minTs());
      }
      if (stored) {
        body.signed(s.storedMinTs());
        body.signed(s.storedMaxTs() - s.storedMinTs());
      }
      if (s.open() != null) {
        body.signed(s.openWindow());
        body.signed(s.openWrittenAt());
        body.bytes(s.open().data());
      }
      if (!s.closed().isEmpty()) {
        body.unsigned(s.closed().size());
        for (GroupState.Closed c : s.closed()) {
          body.signed(c.window());
          body.bytes(c.chunk().data());
        }
      }
      if (s.lateTimestamps().length > 0) {
        body.unsigned(s.lateTimestamps().length);
        long previous = 0;
        for (int i = 0; i < s.lateTimestamps().length; i++) {
          body.signed(s.lateTimestamps()[i] - previous);
          previous = s.lateTimestamps()[i];
          body.raw(Double.doubleToRawLongBits(s.lateValues()[i]));
        }
      }
      if (!s.pending().isEmpty()) {
        body.unsigned(s.pending().size());
        for (GroupState.Pending p : s.pending()) {
          body.unsigned(p.seq());
          body.bytes(p.chunk().data());
        }
      }
    }
    Output out = new Output(16 + strings.size() * 12 + body.pos);
    out.unsigned(VERSION);
    out.unsigned(strings.size());
    for (String string : strings) {
      out.bytes(string.getBytes(StandardCharsets.UTF_8));
    }
    out.append(body);
    return out.toArray();
  }

  private static int number(String string, Map<String, Integer> numbers, List<String> strings) {
    Integer known = numbers.get(string);
    if (known != null) {
      return known;
    }
    numbers.put(string, strings.size());
    strings.add(string);
    return strings.size() - 1;
  }

  /**
   * The series of a block.
   *
   * @throws IllegalArgumentException if the bytes are not a block of a known version
   */
  static List<GroupSnapshot.SeriesImage> decode(byte[] block) {
    Input in = new Input(block);
    long version = in.unsigned();
    if (version != VERSION) {
      throw new IllegalArgumentException("snapshot block of unknown version " + version);
    }
    String[] strings = new String[in.count()];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = new String(in.bytes(), StandardCharsets.UTF_8);
    }
    int count = in.count();
    List<GroupSnapshot.SeriesImage> series = new ArrayList<>(count);
    long id = 0;
    for (int i = 0; i < count; i++) {
      id += in.signed();
      String tenant = in.string(strings);
      String metric = in.string(strings);
      int tagCount = in.count();
      TreeMap<String, String> tags = new TreeMap<>();
      for (int t = 0; t < tagCount; t++) {
        tags.put(in.string(strings), in.string(strings));
      }
      SeriesKey key = SeriesKey.ofOwned(tenant, metric, tags);
      int flags = (int) in.unsigned();
      long minTs = Long.MAX_VALUE;
      long maxTs = Long.MIN_VALUE;
      if ((flags & HAS_RANGE) != 0) {
        minTs = in.signed();
        maxTs = minTs + in.signed();
      }
      long storedMinTs = Long.MAX_VALUE;
      long storedMaxTs = Long.MIN_VALUE;
      if ((flags & HAS_STORED) != 0) {
        storedMinTs = in.signed();
        storedMaxTs = storedMinTs + in.signed();
      }
      XorChunk open = null;
      long openWindow = 0;
      long openWrittenAt = 0;
      if ((flags & HAS_OPEN) != 0) {
        openWindow = in.signed();
        openWrittenAt = in.signed();
        open = new XorChunk(in.bytes());
      }
      List<GroupState.Closed> closed = List.of();
      if ((flags & HAS_CLOSED) != 0) {
        int n = in.count();
        List<GroupState.Closed> read = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
          read.add(new GroupState.Closed(in.signed(), new XorChunk(in.bytes())));
        }
        closed = read;
      }
      long[] lateTimestamps = new long[0];
      double[] lateValues = new double[0];
      if ((flags & HAS_LATE) != 0) {
        int n = in.count();
        lateTimestamps = new long[n];
        lateValues = new double[n];
        long ts = 0;
        for (int l = 0; l < n; l++) {
          ts += in.signed();
          lateTimestamps[l] = ts;
          lateValues[l] = Double.longBitsToDouble(in.raw());
        }
      }
      List<GroupState.Pending> pending = List.of();
      if ((flags & HAS_PENDING) != 0) {
        int n = in.count();
        List<GroupState.Pending> read = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
          read.add(new GroupState.Pending(in.unsigned(), new XorChunk(in.bytes())));
        }
        pending = read;
      }
      series.add(
          new GroupSnapshot.SeriesImage(
              id,
              key,
              minTs,
              maxTs,
              storedMinTs,
              storedMaxTs,
              open,
              openWindow,
              openWrittenAt,
              closed,
              lateTimestamps,
              lateValues,
              pending));
    }
    if (in.pos != block.length) {
      throw new IllegalArgumentException(
          "snapshot block has " + (block.length - in.pos) + " bytes after its series");
    }
    return series;
  }

  /** A growing byte array written with varints. */
  private static final class Output {
    private byte[] buffer;
    private int pos;

    Output(int capacity) {
      buffer = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
      if (pos + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(pos + more, buffer.length * 2));
      }
    }

    void unsigned(long value) {
      ensure(10);
      pos = Varints.writeUnsigned(buffer, pos, value);
    }

    void signed(long value) {
      unsigned(Varints.zigZag(value));
    }

    void raw(long bits) {
      ensure(8);
      for (int shift = 0; shift < 64; shift += 8) {
        buffer[pos++] = (byte) (bits >>> shift);
      }
    }

    void bytes(byte[] data) {
      unsigned(data.length);
      ensure(data.length);
      System.arraycopy(data, 0, buffer, pos, data.length);
      pos += data.length;
    }

    void append(Output other) {
      ensure(other.pos);
      System.arraycopy(other.buffer, 0, buffer, pos, other.pos);
      pos += other.pos;
    }

    byte[] toArray() {
      return Arrays.copyOf(buffer, pos);
    }
  }

  /** Reads a block, checking every length against the bytes left. */
  private static final class Input {
    private final byte[] data;
    private final int[] next = {0};
    private int pos;

    Input(byte[] data) {
      this.data = data;
    }

    long unsigned() {
      long value = Varints.readUnsigned(data, pos, next);
      pos = next[0];
      return value;
    }

    long signed() {
      return Varints.unZigZag(unsigned());
    }

    /** A count: every counted item takes at least a byte, so no count exceeds what is left. */
    int count() {
      long n = unsigned();
      if (n > data.length - pos) {
        throw new IllegalArgumentException("snapshot block count " + n + " exceeds its bytes");
      }
      return (int) n;
    }

    String string(String[] strings) {
      long n = unsigned();
      if (n >= strings.length) {
        throw new IllegalArgumentException("snapshot block refers to unknown string " + n);
      }
      return strings[(int) n];
    }

    long raw() {
      if (pos + 8 > data.length) {
        throw new IllegalArgumentException("snapshot block truncated in a raw value");
      }
      long bits = 0;
      for (int shift = 0; shift < 64; shift += 8) {
        bits |= (data[pos++] & 0xFFL) << shift;
      }
      return bits;
    }

    byte[] bytes() {
      int n = count();
      byte[] out = Arrays.copyOfRange(data, pos, pos + n);
      pos += n;
      return out;
    }
  }
}
