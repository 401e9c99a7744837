package io.meridian.protocol.chunk;

import java.util.Arrays;

/**
 * Appends samples of one series into a growing Gorilla-compressed bit stream: the mutable head from
 * which {@link XorChunk}s are cut. Not thread-safe.
 *
 * <p>The bit stream (after the chunk header, see {@link XorChunk}), most significant bit first:
 *
 * <ul>
 *   <li>sample 0: the value's 64 raw bits (its timestamp is the header's first timestamp);
 *   <li>sample 1: the timestamp delta as an unsigned LEB128 varint in 8-bit groups, then the value;
 *   <li>sample n &ge; 2: the delta of deltas in a bucket ({@code 0} for zero; {@code 10} + 8 bits;
 *       {@code 110} + 14; {@code 1110} + 17; {@code 11110} + 20; {@code 11111} + 64), then the
 *       value.
 * </ul>
 *
 * A value after the first is XOR-ed with the one before, as in Gorilla and Prometheus: {@code 0}
 * when equal; {@code 10} + the meaningful bits when they fall inside the previous window of leading
 * and trailing zeros; else {@code 11} + 5 bits of leading zeros (capped at 31) + 6 bits of
 * meaningful-bit count (0 meaning 64) + the meaningful bits.
 *
 * <p>The delta-of-delta buckets differ from Prometheus' ({@code 10} + 14, {@code 110} + 17, {@code
 * 1110} + 20, {@code 1111} + 64) by a first bucket of 8 bits: Meridian's scraper stamps samples
 * with the wall-clock start of each scrape, so a 15 s series has deltas of deltas of tens of
 * milliseconds, which then cost 10 bits rather than 16 (see {@code XorChunkSizeReportTest}); deltas
 * of deltas beyond ±128 ms, rare in scraped data, cost one bit more than in Prometheus.
 *
 * <p>Timestamps may be any {@code long} as long as they ascend strictly: deltas and deltas of
 * deltas are computed modulo 2<sup>64</sup>, so even {@link Long#MIN_VALUE} followed by {@link
 * Long#MAX_VALUE} round-trips.
 */
public final class XorChunkEncoder {

  /** Widths of the delta-of-delta buckets after the zero bucket; beyond them come 64 raw bits. */
  static final int[] DOD_BITS = {8, 14, 17, 20};

  /** Leading-zeros value meaning no XOR window has been written yet. */
  static final int NO_WINDOW = 0xFF;

  private static final int INITIAL_CAPACITY = 32;

  /** The largest stream, in bits, that fits a byte array. */
  private static final long MAX_BITS = (Integer.MAX_VALUE - 16) * 8L;

  /** Object header and fields on a 64-bit JVM with compressed references, rounded up to 8. */
  private static final long SHALLOW_BYTES = 72;

  /** Header of a byte array on a 64-bit JVM with compressed references. */
  private static final long ARRAY_HEADER_BYTES = 16;

  private byte[] stream;
  private long bitPos;
  private int count;
  private long first = Long.MAX_VALUE;
  private long last = Long.MIN_VALUE;
  private long delta;
  private long valueBits;
  private int leading = NO_WINDOW;
  private int trailing;

  /** An empty encoder. */
  public XorChunkEncoder() {
    this.stream = new byte[INITIAL_CAPACITY];
  }

  /**
   * An empty encoder whose buffer starts at {@code capacity} bytes (at least 1): for a head that
   * knows about how many bytes its next chunk will take, such as the size of its previous one, so
   * that the buffer neither grows step by step (a copy each time) nor ends up half empty.
   */
  public XorChunkEncoder(int capacity) {
    this.stream = new byte[Math.max(1, capacity)];
  }

  /**
   * An encoder holding the samples of {@code chunk}, to append more: its {@link #toChunk()} is
   * byte-identical to that of an encoder that had all samples appended one by one. Costs one decode
   * of the chunk. A {@link XorChunk#FORMAT_DECIMAL} chunk is re-encoded sample by sample.
   *
   * @throws IllegalStateException if the chunk's bit stream is corrupt
   */
  public static XorChunkEncoder of(XorChunk chunk) {
    XorChunkEncoder encoder = new XorChunkEncoder();
    int count = chunk.count();
    if (count == 0) {
      return encoder;
    }
    if (chunk.format() != XorChunk.FORMAT_XOR) {
      SampleIterator samples = chunk.iterator();
      while (samples.next()) {
        encoder.append(samples.timestamp(), samples.value());
      }
      return encoder;
    }
    byte[] data = chunk.data();
    int streamStart = Varints.skip(data, Varints.skip(data, Varints.skip(data, 1)));
    XorChunkReader reader =
        new XorChunkReader(data, streamStart, data.length, count, chunk.minTimestamp());
    // Decoding every sample leaves the reader in the state the encoder was in after the last.
    reader.readAll();
    long streamBits = reader.bitPosition() - streamStart * 8L;
    encoder.stream = Arrays.copyOfRange(data, streamStart, data.length);
    // Whatever follows the last sample's bits in a chunk is padding; an appender writes there.
    int usedBytes = (int) ((streamBits + 7) >>> 3);
    Arrays.fill(encoder.stream, usedBytes, encoder.stream.length, (byte) 0);
    if ((streamBits & 7) != 0) {
      encoder.stream[usedBytes - 1] &= (byte) (0xFF << (8 - (streamBits & 7)));
    }
    encoder.bitPos = streamBits;
    encoder.count = count;
    encoder.first = chunk.minTimestamp();
    encoder.last = reader.timestamp();
    encoder.delta = reader.delta();
    encoder.valueBits = reader.valueBits();
    encoder.leading = reader.leading();
    encoder.trailing = reader.trailing();
    return encoder;
  }

  /**
   * Appends a sample.
   *
   * @param timestamp milliseconds, greater than {@link #lastTimestamp()}
   * @param value any double, stored bit-exact
   * @throws IllegalArgumentException if {@code timestamp} is not after the last one
   * @throws IllegalStateException if the chunk already holds {@link Integer#MAX_VALUE} samples or
   *     about 2 GiB
   */
  public void append(long timestamp, double value) {
    long bits = Double.doubleToRawLongBits(value);
    if (count == 0) {
      writeBits(bits, 64);
      first = timestamp;
    } else {
      if (timestamp <= last) {
        throw new IllegalArgumentException(
            "timestamp " + timestamp + " is not after the last one, " + last);
      }
      if (count == Integer.MAX_VALUE) {
        throw new IllegalStateException("chunk is full: " + count + " samples");
      }
      long newDelta = timestamp - last;
      if (count == 1) {
        writeUnsignedVarint(newDelta);
      } else {
        writeDeltaOfDelta(newDelta - delta);
      }
      delta = newDelta;
      writeValue(bits);
    }
    valueBits = bits;
    last = timestamp;
    count++;
  }

  /** Number of samples appended. */
  public int count() {
    return count;
  }

  /** Timestamp of the first sample, or {@link Long#MAX_VALUE} when empty (as {@link XorChunk}). */
  public long firstTimestamp() {
    return first;
  }

  /** Timestamp of the last sample, or {@link Long#MIN_VALUE} when empty (as {@link XorChunk}). */
  public long lastTimestamp() {
    return last;
  }

  /**
   * Value of the last sample, bit-exact.
   *
   * @throws IllegalStateException when empty
   */
  public double lastValue() {
    if (count == 0) {
      throw new IllegalStateException("no samples");
    }
    return Double.longBitsToDouble(valueBits);
  }

  /** An immutable chunk of everything appended so far, sized exactly; the encoder stays usable. */
  public XorChunk toChunk() {
    if (count == 0) {
      return XorChunk.EMPTY;
    }
    long firstZigZag = Varints.zigZag(first);
    long span = last - first;
    int streamBytes = (int) ((bitPos + 7) >>> 3);
    byte[] data =
        new byte
            [1
                + Varints.unsignedLength(count)
                + Varints.unsignedLength(firstZigZag)
                + Varints.unsignedLength(span)
                + streamBytes];
    data[0] = XorChunk.FORMAT_XOR;
    int pos = Varints.writeUnsigned(data, 1, count);
    pos = Varints.writeUnsigned(data, pos, firstZigZag);
    pos = Varints.writeUnsigned(data, pos, span);
    System.arraycopy(stream, 0, data, pos, streamBytes);
    return new XorChunk(data);
  }

  /**
   * Reads the samples appended so far straight from the encoder's buffer, without copying it. Valid
   * until the next {@link #append}; it sees only the samples appended before it was created.
   */
  public SampleIterator iterator() {
    if (count == 0) {
      return XorChunkReader.EMPTY;
    }
    return new XorChunkReader(stream, 0, (int) ((bitPos + 7) >>> 3), count, first);
  }

  /** Bytes of the bit stream written so far (without the chunk header {@link #toChunk} adds). */
  public int streamBytes() {
    return (int) ((bitPos + 7) >>> 3);
  }

  /**
   * Approximate heap bytes held: this object and its buffer's full capacity, assuming a 64-bit JVM
   * with compressed references. For memory accounting, not exact.
   */
  public long memoryBytes() {
    return SHALLOW_BYTES + ((ARRAY_HEADER_BYTES + stream.length + 7) & ~7L);
  }

  private void writeValue(long bits) {
    long xor = bits ^ valueBits;
    if (xor == 0) {
      writeBits(0, 1);
      return;
    }
    // Capped so that it fits 5 bits; a window with a few more leading bits than needed is fine.
    int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int newTrailing = Long.numberOfTrailingZeros(xor);
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      writeBits(0b10, 2);
      writeBits(xor >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = newLeading;
    trailing = newTrailing;
    int significant = 64 - newLeading - newTrailing;
    // 2 + 5 + 6 bits in one write: the prefix 11, the leading zeros, the length (64 written as 0).
    writeBits((0b11L << 11) | ((long) newLeading << 6) | (significant & 0x3F), 13);
    writeBits(xor >>> newTrailing, significant);
  }

  private void writeDeltaOfDelta(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
      return;
    }
    for (int bucket = 0; bucket < DOD_BITS.length; bucket++) {
      int width = DOD_BITS[bucket];
      long max = 1L << (width - 1);
      if (dod >= -(max - 1) && dod <= max) {
        // bucket + 1 ones and a zero, then the value in two's complement of 'width' bits.
        writeBits((1L << (bucket + 2)) - 2, bucket + 2);
        writeBits(dod, width);
        return;
      }
    }
    writeBits((1L << (DOD_BITS.length + 1)) - 1, DOD_BITS.length + 1);
    writeBits(dod, 64);
  }

  private void writeUnsignedVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      writeBits((value & 0x7F) | 0x80, 8);
      value >>>= 7;
    }
    writeBits(value, 8);
  }

  /** Writes the low {@code n} (0 to 64) bits of {@code value}, most significant first. */
  private void writeBits(long value, int n) {
    ensureCapacity(bitPos + n);
    while (n > 0) {
      int index = (int) (bitPos >>> 3);
      int free = 8 - (int) (bitPos & 7);
      int take = Math.min(free, n);
      int bits = (int) (value >>> (n - take)) & ((1 << take) - 1);
      stream[index] |= (byte) (bits << (free - take));
      bitPos += take;
      n -= take;
    }
  }

  /** Grows the buffer by half (not doubling: per-series memory counts more than copies). */
  private void ensureCapacity(long bits) {
    if (bits <= stream.length * 8L) {
      return;
    }
    if (bits > MAX_BITS) {
      throw new IllegalStateException("chunk too large: " + bits + " bits");
    }
    int needed = (int) ((bits + 7) >>> 3);
    long grown = stream.length + (stream.length >> 1) + 1L;
    stream = Arrays.copyOf(stream, (int) Math.min(Math.max(needed, grown), MAX_BITS / 8));
  }
}
