package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

/** Sample series for the chunk tests, from fixed seeds, and a bit-exact round-trip check. */
final class Series {

  private Series() {}

  /** 15 s apart from a 2025 wall-clock start, each stamped 0-50 ms late as a scrape start is. */
  static long[] scrapeTimestamps(Random random, int n) {
    long[] timestamps = new long[n];
    long start = 1_764_000_000_000L;
    for (int i = 0; i < n; i++) {
      timestamps[i] = start + i * 15_000L + random.nextInt(51);
    }
    return timestamps;
  }

  /** Arbitrary strictly ascending steps of 1 ms to about 17 minutes, heavy on small ones. */
  static long[] irregularTimestamps(Random random, long start, int n) {
    long[] timestamps = new long[n];
    long t = start;
    for (int i = 0; i < n; i++) {
      timestamps[i] = t;
      t += 1 + (long) Math.pow(random.nextDouble(), 4) * 1_000_000;
    }
    return timestamps;
  }

  /** Steps from 1 ms to about 2^60 ms, starting far in the negative. */
  static long[] hugeGapTimestamps(Random random, int n) {
    long[] timestamps = new long[n];
    long t = Long.MIN_VALUE + random.nextInt(1000);
    for (int i = 0; i < n; i++) {
      timestamps[i] = t;
      long step = 1 + (random.nextLong() >>> (4 + random.nextInt(60)));
      if (t > Long.MAX_VALUE - step) {
        long[] shorter = new long[i + 1];
        System.arraycopy(timestamps, 0, shorter, 0, i + 1);
        return shorter;
      }
      t += step;
    }
    return timestamps;
  }

  /** A mix of what values look like: repeats, small integers, random doubles, special values. */
  static double[] mixedValues(Random random, int n) {
    double[] special = {
      Double.NaN,
      Double.longBitsToDouble(0x7ff0000000000002L),
      Double.longBitsToDouble(0xfff8000000000123L),
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      0.0,
      -0.0,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.MIN_NORMAL,
      Double.longBitsToDouble(0x000fffffffffffffL),
    };
    double[] values = new double[n];
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double value =
          switch (random.nextInt(6)) {
            case 0 -> previous;
            case 1 -> random.nextInt(1000);
            case 2 -> random.nextDouble() * 1e6;
            case 3 -> special[random.nextInt(special.length)];
            case 4 -> Double.longBitsToDouble(random.nextLong());
            default -> previous + random.nextInt(100) / 100.0;
          };
      values[i] = value;
      previous = value;
    }
    return values;
  }

  /**
   * Encodes the samples and checks that every way of reading them back (the chunk's iterator and
   * arrays, an encoder's iterator, a resumed encoder) gives them back bit-exact.
   */
  static XorChunk assertRoundTrip(long[] timestamps, double[] values) {
    XorChunk chunk = XorChunk.encode(timestamps, values);
    assertThat(chunk.count()).isEqualTo(timestamps.length);
    assertThat(chunk.sizeBytes()).isEqualTo(chunk.data().length);
    if (timestamps.length > 0) {
      assertThat(chunk.minTimestamp()).isEqualTo(timestamps[0]);
      assertThat(chunk.maxTimestamp()).isEqualTo(timestamps[timestamps.length - 1]);
    }
    assertThat(chunk.timestamps()).containsExactly(timestamps);
    assertThat(bits(chunk.values())).containsExactly(bits(values));
    assertSamples(chunk.iterator(), timestamps, values);

    XorChunkEncoder encoder = new XorChunkEncoder();
    for (int i = 0; i < timestamps.length; i++) {
      encoder.append(timestamps[i], values[i]);
    }
    assertSamples(encoder.iterator(), timestamps, values);
    assertThat(encoder.toChunk()).isEqualTo(chunk);
    assertThat(XorChunkEncoder.of(chunk).toChunk()).isEqualTo(chunk);
    return chunk;
  }

  /**
   * Compacts the chunk and checks that the result is no larger, holds the same samples bit-exact
   * and compacts to itself.
   */
  static XorChunk assertCompacts(XorChunk chunk, long[] timestamps, double[] values) {
    XorChunk compact = chunk.compact();
    assertThat(compact.sizeBytes()).isLessThanOrEqualTo(chunk.sizeBytes());
    assertThat(compact.count()).isEqualTo(timestamps.length);
    assertThat(compact.minTimestamp()).isEqualTo(chunk.minTimestamp());
    assertThat(compact.maxTimestamp()).isEqualTo(chunk.maxTimestamp());
    assertThat(compact.timestamps()).containsExactly(timestamps);
    assertThat(bits(compact.values())).containsExactly(bits(values));
    assertSamples(compact.iterator(), timestamps, values);
    assertThat(compact.compact()).isSameAs(compact);
    assertThat(XorChunk.encodeCompact(timestamps, values)).isEqualTo(compact);
    assertThat(XorChunkEncoder.of(compact).toChunk())
        .isEqualTo(XorChunk.encode(timestamps, values));
    return compact;
  }

  static void assertSamples(SampleIterator samples, long[] timestamps, double[] values) {
    for (int i = 0; i < timestamps.length; i++) {
      assertThat(samples.next()).as("sample %d of %d", i, timestamps.length).isTrue();
      assertThat(samples.timestamp()).as("timestamp %d", i).isEqualTo(timestamps[i]);
      assertThat(Double.doubleToRawLongBits(samples.value()))
          .as("value bits %d", i)
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
    assertThat(samples.next()).isFalse();
    assertThat(samples.next()).isFalse();
  }

  static long[] bits(double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
