package io.meridian.protocol.chunk;

import io.meridian.protocol.CborSerializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, self-describing compressed chunk of one series' samples: what a series keeps in its
 * compressed head, seals into the chunk table and sends between nodes.
 *
 * <p>The first byte names the format: {@link #FORMAT_XOR}, Gorilla's, which stores any double and
 * is what {@link XorChunkEncoder} appends to; or {@link #FORMAT_DECIMAL}, for chunks whose values
 * are all short decimals (scraped counters and gauges mostly are), which {@link #compact()} makes
 * when it is smaller (see {@code DecimalChunks} for its layout). Both start with the same header,
 * and every reading method works on both.
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
    if (data[0] != FORMAT_XOR && data[0] != FORMAT_DECIMAL) {
      throw new IllegalArgumentException("not an XOR chunk: format byte " + data[0]);
    }
    int[] next = new int[1];
    long count = Varints.readUnsigned(data, 1, next);
    if (Long.compareUnsigned(count, Integer.MAX_VALUE) > 0) {
      throw new IllegalArgumentException(
          "chunk count out of range: " + Long.toUnsignedString(count));
    }
    if (count > 0) {
      Varints.readUnsigned(data, next[0], next);
      Varints.readUnsigned(data, next[0], next);
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

  /** The format byte: {@link #FORMAT_XOR} or {@link #FORMAT_DECIMAL}. */
  public byte format() {
    return data[0];
  }

  /**
   * The smaller of this chunk and its decimal encoding, holding the same samples bit-exact: what to
   * seal and store. Returns this chunk when it is empty, already decimal, smaller as it is, or
   * holds a value that is neither a short decimal nor a few units in the last place off one (NaN,
   * StaleNaN, infinities, {@code -0.0}, 17-digit integers, random binary fractions). Costs a decode
   * and an encode: about 65 microseconds for 480 samples.
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
            + (data[0] == FORMAT_DECIMAL ? "decimal, " : "")
            + count
            + " samples, "
            + minTimestamp()
            + ".."
            + maxTimestamp()
            + ", "
            + data.length
            + " bytes]";
  }
}
