package io.meridian.node.series;

import io.meridian.protocol.chunk.Varints;
import java.util.Arrays;

/**
 * The journal's form of a {@link SeriesGroup.SamplesWritten}'s samples: one byte string instead of
 * four CBOR arrays (nine bytes for every timestamp and value). Every sample goes through the
 * journal once (Cassandra's commit log, memtable, flush and compaction), so its bytes there are
 * much of what ingest costs the store.
 *
 * <p>Layout, all varints ({@link Varints}): a version (1); the number of runs and of samples; per
 * run, its series id as the zigzag difference from the previous run's id and its sample count; then
 * every timestamp as the zigzag difference from the previous one (a scrape's samples share one, so
 * most take a byte); then every value, as a decimal when one with at most six digits after the
 * point gives back exactly the same bits ({@code zigzag(mantissa) << 3 | digits}), else as {@code
 * 7} followed by the 8 raw bytes (NaN payloads such as Prometheus' stale marker, -0.0 and long
 * fractions stay bit-exact).
 */
final class SampleBlock {

  static final int VERSION = 1;

  private static final int RAW = 7;
  private static final double[] POWERS = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

  /** Mantissas stay below this, so that a decimal's header fits a varint of at most 8 bytes. */
  private static final double MAX_MANTISSA = 0x1p50;

  private SampleBlock() {}

  /** The samples of a {@link SeriesGroup.SamplesWritten}, as its fields hold them. */
  record Samples(long[] ids, int[] counts, long[] timestamps, double[] values) {}

  static byte[] encode(long[] ids, int[] counts, long[] timestamps, double[] values) {
    if (ids.length != counts.length || timestamps.length != values.length) {
      throw new IllegalArgumentException("ids/counts or timestamps/values differ in length");
    }
    byte[] out = new byte[1 + 10 + 10 + ids.length * 15 + timestamps.length * (10 + 10)];
    int pos = Varints.writeUnsigned(out, 0, VERSION);
    pos = Varints.writeUnsigned(out, pos, ids.length);
    pos = Varints.writeUnsigned(out, pos, timestamps.length);
    long previousId = 0;
    for (int i = 0; i < ids.length; i++) {
      pos = Varints.writeUnsigned(out, pos, Varints.zigZag(ids[i] - previousId));
      pos = Varints.writeUnsigned(out, pos, counts[i]);
      previousId = ids[i];
    }
    long previous = 0;
    for (long timestamp : timestamps) {
      pos = Varints.writeUnsigned(out, pos, Varints.zigZag(timestamp - previous));
      previous = timestamp;
    }
    for (double value : values) {
      pos = writeValue(out, pos, value);
    }
    return Arrays.copyOf(out, pos);
  }

  private static int writeValue(byte[] out, int pos, double value) {
    long bits = Double.doubleToRawLongBits(value);
    if (Double.isFinite(value) && Math.abs(value) < MAX_MANTISSA) {
      for (int digits = 0; digits < POWERS.length; digits++) {
        double scaled = value * POWERS[digits];
        if (Math.abs(scaled) >= MAX_MANTISSA) {
          break;
        }
        long mantissa = Math.round(scaled);
        if (Double.doubleToRawLongBits(mantissa / POWERS[digits]) == bits) {
          return Varints.writeUnsigned(out, pos, Varints.zigZag(mantissa) << 3 | digits);
        }
      }
    }
    pos = Varints.writeUnsigned(out, pos, RAW);
    for (int shift = 0; shift < 64; shift += 8) {
      out[pos++] = (byte) (bits >>> shift);
    }
    return pos;
  }

  /**
   * The samples of a block.
   *
   * @throws IllegalArgumentException if the bytes are not a block of a known version
   */
  static Samples decode(byte[] block) {
    int[] next = {0};
    long version = Varints.readUnsigned(block, 0, next);
    if (version != VERSION) {
      throw new IllegalArgumentException("sample block of unknown version " + version);
    }
    long runs = Varints.readUnsigned(block, next[0], next);
    long samples = Varints.readUnsigned(block, next[0], next);
    // Every run and sample takes at least a byte, which bounds the arrays by the block's size.
    if (runs > block.length || samples > block.length) {
      throw new IllegalArgumentException(
          "sample block counts exceed its " + block.length + " bytes");
    }
    long[] ids = new long[(int) runs];
    int[] counts = new int[(int) runs];
    long id = 0;
    long total = 0;
    for (int i = 0; i < runs; i++) {
      id += Varints.unZigZag(Varints.readUnsigned(block, next[0], next));
      ids[i] = id;
      long count = Varints.readUnsigned(block, next[0], next);
      total += count;
      if (count > samples || total > samples) {
        throw new IllegalArgumentException("sample block runs hold more than its samples");
      }
      counts[i] = (int) count;
    }
    if (total != samples) {
      throw new IllegalArgumentException(
          "sample block runs hold " + total + " samples, not " + samples);
    }
    long[] timestamps = new long[(int) samples];
    long timestamp = 0;
    for (int i = 0; i < samples; i++) {
      timestamp += Varints.unZigZag(Varints.readUnsigned(block, next[0], next));
      timestamps[i] = timestamp;
    }
    double[] values = new double[(int) samples];
    for (int i = 0; i < samples; i++) {
      long header = Varints.readUnsigned(block, next[0], next);
      int digits = (int) (header & 7);
      if (digits == RAW) {
        int pos = next[0];
        if (pos + 8 > block.length) {
          throw new IllegalArgumentException("sample block truncated in a raw value");
        }
        long bits = 0;
        for (int shift = 0; shift < 64; shift += 8) {
          bits |= (block[pos++] & 0xFFL) << shift;
        }
        next[0] = pos;
        values[i] = Double.longBitsToDouble(bits);
      } else {
        values[i] = Varints.unZigZag(header >>> 3) / POWERS[digits];
      }
    }
    if (next[0] != block.length) {
      throw new IllegalArgumentException(
          "sample block has " + (block.length - next[0]) + " bytes after its samples");
    }
    return new Samples(ids, counts, timestamps, values);
  }
}
