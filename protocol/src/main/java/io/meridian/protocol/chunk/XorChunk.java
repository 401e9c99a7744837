package io.meridian.protocol.chunk;

import io.meridian.protocol.CborSerializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, self-describing compressed chunk of one series' samples: what a series keeps in its
 * compressed head, seals into the chunk table and sends between nodes.
 *
 * <p>The first byte names the format: {@link #FORMAT_XOR}, Gorilla's, which stores any double and
 * is what {@link XorChunkEncoder} appends to; {@link #FORMAT_DECIMAL}, for chunks whose values are
 * all short decimals (scraped counters and gauges mostly are), which {@link #compact()} makes when
 * it is smaller (see {@code DecimalChunks} for its layout); or {@link #FORMAT_PARTS}, chunks of the
 * other two formats one after the other, which {@link #concat} makes. All start with the same
 * header, and every reading method works on all.
 *
 * <p>Layout of {@link #data()} in the XOR format:
 *
 * <pre>
 *   format      1 byte, {@value #FORMAT_XOR}
 *   count       unsigned varint
 *   first       zig-zag varint, the first (smallest) timestamp   } only when
 *   span        unsigned varint, last - first (mod 2^64)          } count &gt; 0
 *   bit stream  see {@link XorChunkEncoder}, zero-padded to a whole byte
 * </pre>
 *
 * and in the parts format (the same header, then the parts, at least two, in time order):
 *
 * <pre>
 *   format      1 byte, {@value #FORMAT_PARTS}
 *   count       unsigned varint, the parts' samples together, at least 2
 *   first       zig-zag varint, the first part's first timestamp
 *   span        unsigned varint, last - first (mod 2^64)
 *   parts       unsigned varint, how many
 *   per part:   unsigned varint length, then that many bytes: an XOR or decimal chunk
 * </pre>
 *
 * The header is byte-aligned so that {@link #count()}, {@link #minTimestamp()} and {@link
 * #maxTimestamp()} cost a few byte reads, not a decode. Every {@code long} timestamp is supported,
 * from {@link Long#MIN_VALUE} to {@link Long#MAX_VALUE} in one chunk, because all timestamp
 * arithmetic wraps modulo 2<sup>64</sup> and differences of ascending timestamps are read unsigned.
 *
 * <p>The array is not copied, for the sake of memory and of reads straight from storage: callers
 * must not modify it after handing it over or after reading it from {@link #data()}. Equality and
 * hash code are by content.
 *
 * @param data the encoded chunk, as produced by {@link #encode} or {@link
 *     XorChunkEncoder#toChunk()}
 */
public record XorChunk(byte[] data) implements CborSerializable {

  /** The first byte of a Gorilla (XOR) chunk. */
  public static final byte FORMAT_XOR = 1;

  /**
   * The first byte of a decimal chunk: values stored as integer mantissas with one decimal
   * exponent, timestamps and mantissas as bit-packed residuals. Made by {@link #compact()} only.
   */
  public static final byte FORMAT_DECIMAL = 2;

  /**
   * The first byte of a chunk made of parts: XOR or decimal chunks of consecutive time ranges,
   * stored one after the other as they are. Made by {@link #concat} only: sealing joins a window's
   * compacted parts this way instead of decoding and compacting them again.
   */
  public static final byte FORMAT_PARTS = 3;

  /** The chunk without samples. */
  public static final XorChunk EMPTY = new XorChunk(new byte[] {FORMAT_XOR, 0});

  /**
   * Checks the header (format, count and, when not empty, the timestamp bounds) so that a corrupt
   * or foreign array fails here rather than on a later read.
   *
   * @throws IllegalArgumentException if {@code data} is not a chunk in this format
   */
  public XorChunk {
    Objects.requireNonNull(data, "data");
    if (data.length == 0) {
      throw new IllegalArgumentException("not an XOR chunk: no bytes");
    }
    if (data[0] != FORMAT_XOR && data[0] != FORMAT_DECIMAL && data[0] != FORMAT_PARTS) {
      throw new IllegalArgumentException("not an XOR chunk: format byte " + data[0]);
    }
    int[] next = new int[1];
    long count = Varints.readUnsigned(data, 1, next);
    if (Long.compareUnsigned(count, Integer.MAX_VALUE) > 0) {
      throw new IllegalArgumentException(
          "chunk count out of range: " + Long.toUnsignedString(count));
    }
    long first = 0;
    long span = 0;
    if (count > 0) {
      first = Varints.unZigZag(Varints.readUnsigned(data, next[0], next));
      span = Varints.readUnsigned(data, next[0], next);
    }
    if (data[0] == FORMAT_PARTS) {
      checkParts(data, next[0], count, first, first + span);
    }
    if (data[0] == FORMAT_DECIMAL && count > 0) {
      if (next[0] >= data.length) {
        throw new IllegalArgumentException("decimal chunk header truncated: no exponent");
      }
      int exponent = data[next[0]];
      if (exponent < DecimalChunks.MIN_EXPONENT || exponent > DecimalChunks.MAX_EXPONENT) {
        throw new IllegalArgumentException("decimal chunk exponent out of range: " + exponent);
      }
      if (next[0] + 1 >= data.length) {
        throw new IllegalArgumentException("decimal chunk header truncated: no flags");
      }
      int flags = data[next[0] + 1];
      if ((flags & ~DecimalChunks.FLAG_CORRECTIONS) != 0) {
        throw new IllegalArgumentException("decimal chunk flags unknown: " + flags);
      }
      Varints.readUnsigned(data, next[0] + 2, next);
      if (flags != 0) {
        Varints.readUnsigned(data, next[0], next);
      }
      if (count > 1) {
        long stampBytes = Varints.readUnsigned(data, next[0], next);
        if (Long.compareUnsigned(stampBytes, data.length - next[0]) > 0) {
          throw new IllegalArgumentException(
              "decimal chunk truncated: timestamp section of "
                  + Long.toUnsignedString(stampBytes)
                  + " bytes, "
                  + (data.length - next[0])
                  + " left");
        }
      }
    }
  }

  /**
   * Compresses samples into a chunk.
   *
   * @param timestamps milliseconds, strictly ascending
   * @param values one per timestamp
   * @throws IllegalArgumentException if the arrays differ in length or the timestamps are not
   *     strictly ascending
   */
  public static XorChunk encode(long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps and values differ in length: " + timestamps.length + " != " + values.length);
    }
    if (timestamps.length == 0) {
      return EMPTY;
    }
    XorChunkEncoder encoder = new XorChunkEncoder();
    for (int i = 0; i < timestamps.length; i++) {
      encoder.append(timestamps[i], values[i]);
    }
    return encoder.toChunk();
  }

  /**
   * The samples of {@code parts} in one chunk, each part's bytes kept as they are (see {@link
   * #FORMAT_PARTS}): for parts already compacted, what {@code encode} and {@link #compact()} of all
   * their samples would make without decoding and encoding them again, at a few bytes per part.
   * Empty parts are left out; one part left is returned as it is.
   *
   * @param parts XOR or decimal chunks (not made of parts themselves), each starting after the
   *     previous one's last timestamp
   * @throws IllegalArgumentException if a part is made of parts or the parts overlap or are out of
   *     order
   */
  public static XorChunk concat(List<XorChunk> parts) {
    if (!consecutive(parts)) {
      throw new IllegalArgumentException("parts overlap or are out of order: " + parts);
    }
    List<XorChunk> kept = new ArrayList<>(parts.size());
    long count = 0;
    int bytes = 0;
    for (XorChunk part : parts) {
      if (part.format() == FORMAT_PARTS) {
        throw new IllegalArgumentException("a part is made of parts itself");
      }
      if (part.count() == 0) {
        continue;
      }
      kept.add(part);
      count += part.count();
      bytes += Varints.unsignedLength(part.sizeBytes()) + part.sizeBytes();
    }
    if (kept.size() <= 1) {
      return kept.isEmpty() ? EMPTY : kept.get(0);
    }
    long first = kept.get(0).minTimestamp();
    long span = kept.get(kept.size() - 1).maxTimestamp() - first;
    byte[] data = new byte[1 + 3 * 10 + Varints.unsignedLength(kept.size()) + bytes];
    data[0] = FORMAT_PARTS;
    int pos = Varints.writeUnsigned(data, 1, count);
    pos = Varints.writeUnsigned(data, pos, Varints.zigZag(first));
    pos = Varints.writeUnsigned(data, pos, span);
    pos = Varints.writeUnsigned(data, pos, kept.size());
    for (XorChunk part : kept) {
      pos = Varints.writeUnsigned(data, pos, part.sizeBytes());
      System.arraycopy(part.data(), 0, data, pos, part.sizeBytes());
      pos += part.sizeBytes();
    }
    return new XorChunk(Arrays.copyOf(data, pos));
  }

  /**
   * Whether each chunk starts after the previous one's last sample (empty ones aside): what {@link
   * #concat} requires of its parts.
   */
  public static boolean consecutive(List<XorChunk> chunks) {
    long last = Long.MIN_VALUE;
    boolean any = false;
    for (XorChunk chunk : chunks) {
      if (chunk.count() == 0) {
        continue;
      }
      if (any && chunk.minTimestamp() <= last) {
        return false;
      }
      last = chunk.maxTimestamp();
      any = true;
    }
    return true;
  }

  /**
   * Checks a {@link #FORMAT_PARTS} chunk's parts from {@code pos} (after the header): at least two,
   * each a valid XOR or decimal chunk within the array, in time order, together {@code count}
   * samples from the header's first to its last timestamp, nothing after them.
   */
  private static void checkParts(byte[] data, int pos, long count, long first, long last) {
    if (count == 0) {
      throw new IllegalArgumentException("chunk of parts without samples");
    }
    int[] next = new int[1];
    long parts = Varints.readUnsigned(data, pos, next);
    if (parts < 2 || parts > count) {
      throw new IllegalArgumentException("chunk of parts holds " + parts + " parts");
    }
    long total = 0;
    long previousLast = 0;
    for (long i = 0; i < parts; i++) {
      long length = Varints.readUnsigned(data, next[0], next);
      if (Long.compareUnsigned(length, data.length - next[0]) > 0 || length == 0) {
        throw new IllegalArgumentException(
            "chunk of parts truncated: part of " + Long.toUnsignedString(length) + " bytes");
      }
      XorChunk part = new XorChunk(Arrays.copyOfRange(data, next[0], next[0] + (int) length));
      if (part.format() == FORMAT_PARTS || part.count() == 0) {
        throw new IllegalArgumentException("chunk of parts holds an empty or nested part");
      }
      if (i == 0 ? part.minTimestamp() != first : part.minTimestamp() <= previousLast) {
        throw new IllegalArgumentException("chunk of parts out of order or off its header");
      }
      previousLast = part.maxTimestamp();
      total += part.count();
      next[0] += (int) length;
    }
    if (next[0] != data.length || total != count || previousLast != last) {
      throw new IllegalArgumentException(
          "chunk of parts inconsistent with its header: "
              + total
              + " samples in parts, "
              + count
              + " in header, last timestamps "
              + previousLast
              + " and "
              + last);
    }
  }

  /** The format byte: {@link #FORMAT_XOR}, {@link #FORMAT_DECIMAL} or {@link #FORMAT_PARTS}. */
  public byte format() {
    return data[0];
  }

  /**
   * The smaller of this chunk and its decimal encoding, holding the same samples bit-exact: what to
   * seal and store. Returns this chunk when it is empty, already decimal or in parts, smaller as it
   * is, or holds a value that is neither a short decimal nor a few units in the last place off one
   * (NaN, StaleNaN, infinities, {@code -0.0}, 17-digit integers, random binary fractions). Costs a
   * decode and an encode: about 65 microseconds for 480 samples.
   *
   * @throws IllegalStateException if this chunk's bit stream is corrupt
   */
  public XorChunk compact() {
    if (data[0] != FORMAT_XOR || count() == 0) {
      return this;
    }
    long[] timestamps = new long[count()];
    double[] values = new double[timestamps.length];
    SampleIterator samples = iterator();
    for (int i = 0; samples.next(); i++) {
      timestamps[i] = samples.timestamp();
      values[i] = samples.value();
    }
    return smaller(this, timestamps, values);
  }

  /**
   * {@code encode(timestamps, values).compact()} without decoding the chunk it has just encoded:
   * for samples at hand, as sealing merges them.
   *
   * @throws IllegalArgumentException as {@link #encode}
   */
  public static XorChunk encodeCompact(long[] timestamps, double[] values) {
    XorChunk xor = encode(timestamps, values);
    return xor.count() == 0 ? xor : smaller(xor, timestamps, values);
  }

  /** {@code xor}, or the decimal encoding of its samples (given) when that is smaller. */
  private static XorChunk smaller(XorChunk xor, long[] timestamps, double[] values) {
    XorChunk decimal = DecimalChunks.encode(timestamps, values);
    return decimal != null && decimal.sizeBytes() < xor.sizeBytes() ? decimal : xor;
  }

  /** Number of samples. */
  public int count() {
    return (int) Varints.read(data, 1);
  }

  /** Timestamp of the first sample, or {@link Long#MAX_VALUE} when empty. */
  public long minTimestamp() {
    if (count() == 0) {
      return Long.MAX_VALUE;
    }
    return Varints.unZigZag(Varints.read(data, Varints.skip(data, 1)));
  }

  /** Timestamp of the last sample, or {@link Long#MIN_VALUE} when empty. */
  public long maxTimestamp() {
    if (count() == 0) {
      return Long.MIN_VALUE;
    }
    int firstAt = Varints.skip(data, 1);
    long first = Varints.unZigZag(Varints.read(data, firstAt));
    return first + Varints.read(data, Varints.skip(data, firstAt));
  }

  /** Reads the samples in order, decoding as it goes. */
  public SampleIterator iterator() {
    if (count() == 0) {
      return XorChunkReader.EMPTY;
    }
    if (data[0] == FORMAT_DECIMAL) {
      return DecimalChunks.iterator(data);
    }
    if (data[0] == FORMAT_PARTS) {
      return new PartsIterator(data);
    }
    int[] next = new int[1];
    int count = (int) Varints.readUnsigned(data, 1, next);
    long first = Varints.unZigZag(Varints.readUnsigned(data, next[0], next));
    int streamStart = Varints.skip(data, next[0]);
    return new XorChunkReader(data, streamStart, data.length, count, first);
  }

  /** All timestamps, decoded. */
  public long[] timestamps() {
    long[] timestamps = new long[count()];
    SampleIterator samples = iterator();
    for (int i = 0; samples.next(); i++) {
      timestamps[i] = samples.timestamp();
    }
    return timestamps;
  }

  /** All values, decoded bit-exact. */
  public double[] values() {
    double[] values = new double[count()];
    SampleIterator samples = iterator();
    for (int i = 0; samples.next(); i++) {
      values[i] = samples.value();
    }
    return values;
  }

  /** Encoded size: the length of {@link #data()}. */
  public int sizeBytes() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XorChunk other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    int count = count();
    return count == 0
        ? "XorChunk[empty]"
        : "XorChunk["
            + (data[0] == FORMAT_DECIMAL ? "decimal, " : data[0] == FORMAT_PARTS ? "parts, " : "")
            + count
            + " samples, "
            + minTimestamp()
            + ".."
            + maxTimestamp()
            + ", "
            + data.length
            + " bytes]";
  }

  /** Reads a {@link #FORMAT_PARTS} chunk's parts one after the other. */
  private static final class PartsIterator implements SampleIterator {
    private final byte[] data;
    private final int[] next = new int[1];
    private long partsLeft;
    private SampleIterator part = XorChunkReader.EMPTY;

    PartsIterator(byte[] data) {
      this.data = data;
      int pos = Varints.skip(data, Varints.skip(data, Varints.skip(data, 1)));
      partsLeft = Varints.readUnsigned(data, pos, next);
    }

    @Override
    public boolean next() {
      while (!part.next()) {
        if (partsLeft == 0) {
          return false;
        }
        partsLeft--;
        int length = (int) Varints.readUnsigned(data, next[0], next);
        part = new XorChunk(Arrays.copyOfRange(data, next[0], next[0] + length)).iterator();
        next[0] += length;
      }
      return true;
    }

    @Override
    public long timestamp() {
      return part.timestamp();
    }

    @Override
    public double value() {
      return part.value();
    }
  }
}
