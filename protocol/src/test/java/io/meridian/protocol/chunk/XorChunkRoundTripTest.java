package io.meridian.protocol.chunk;

import static io.meridian.protocol.chunk.Series.assertRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Samples come back out of a chunk exactly as they went in, whatever their timestamps and values.
 */
class XorChunkRoundTripTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void scrapedSeriesWithJitter(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {2, 3, 120, 1000}) {
      assertRoundTrip(Series.scrapeTimestamps(random, n), Series.mixedValues(random, n));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void irregularSeries(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {2, 3, 500}) {
      long start = random.nextLong() >> 20;
      assertRoundTrip(Series.irregularTimestamps(random, start, n), Series.mixedValues(random, n));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void hugeGapsAcrossTheWholeLongRange(long seed) {
    Random random = new Random(seed);
    long[] timestamps = Series.hugeGapTimestamps(random, 300);
    assertThat(timestamps.length).isGreaterThan(20);
    assertRoundTrip(timestamps, Series.mixedValues(random, timestamps.length));
  }

  @Test
  void negativeTimestamps() {
    Random random = new Random(7);
    long[] timestamps = Series.irregularTimestamps(random, -86_400_000L * 365 * 60, 400);
    assertThat(timestamps[timestamps.length - 1]).isNegative();
    assertRoundTrip(timestamps, Series.mixedValues(random, timestamps.length));
    assertRoundTrip(new long[] {-3, -2, -1, 0, 1}, new double[] {1, 2, 3, 4, 5});
  }

  @Test
  void longExtremes() {
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    double[] five = {1, 2, 3, 4, 5};
    assertRoundTrip(new long[] {min, max}, new double[] {1, 2});
    assertRoundTrip(new long[] {min, min + 1, 0, max - 1, max}, five);
    assertRoundTrip(new long[] {min, min + 1, min + 2, max - 1, max}, five);
    assertRoundTrip(new long[] {min, -1, 0, 1, max}, five);
    assertRoundTrip(new long[] {max - 4, max - 3, max - 2, max - 1, max}, five);
    assertRoundTrip(new long[] {min, min + 1, min + 2, min + 3, min + 4}, five);
    XorChunk wide = XorChunk.encode(new long[] {min, max}, new double[] {0, 0});
    assertThat(wide.minTimestamp()).isEqualTo(min);
    assertThat(wide.maxTimestamp()).isEqualTo(max);
  }

  @Test
  void everyDeltaOfDeltaBucketAndItsEdges() {
    // Each bucket's edges: w bits hold -(2^(w-1) - 1) .. 2^(w-1).
    long[] dods = {
      0,
      1,
      -1,
      127,
      128,
      129,
      -126,
      -127,
      -128,
      8191,
      8192,
      8193,
      -8191,
      -8192,
      -8193,
      65535,
      65536,
      65537,
      -65535,
      -65536,
      -65537,
      524287,
      524288,
      524289,
      -524287,
      -524288,
      -524289,
      1L << 40,
      -(1L << 40),
      Long.MAX_VALUE / 4,
      Long.MIN_VALUE / 4
    };
    long[] timestamps = new long[dods.length + 2];
    long delta = 1L << 42;
    timestamps[1] = delta;
    for (int i = 0; i < dods.length; i++) {
      delta += dods[i];
      timestamps[i + 2] = timestamps[i + 1] + delta;
    }
    double[] values = new double[timestamps.length];
    Arrays.fill(values, 1.0);
    assertRoundTrip(timestamps, values);
  }

  @Test
  void specialValuesBitExact() {
    double staleNaN = Double.longBitsToDouble(0x7ff0000000000002L);
    double[] values = {
      0.0,
      -0.0,
      0.0,
      Double.NaN,
      staleNaN,
      staleNaN,
      Double.longBitsToDouble(0xfff8000000000001L),
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MAX_VALUE,
      -Double.MAX_VALUE,
      Double.MIN_NORMAL,
      Double.longBitsToDouble(0x0000000000000003L),
      Double.longBitsToDouble(0x000fffffffffffffL),
      1.0,
      staleNaN,
      1.0,
      Double.longBitsToDouble(~Double.doubleToRawLongBits(1.0)),
      -0.0,
    };
    long[] timestamps = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      timestamps[i] = 1000L * i;
    }
    assertRoundTrip(timestamps, values);
  }

  @Test
  void valueWindowsOfEveryWidthAndPosition() {
    Random random = new Random(11);
    for (int leading = 0; leading < 64; leading++) {
      for (int trailing = 0; leading + trailing < 64; trailing++) {
        // A chunk of its own per window: once a wide window is set, every later value reuses it.
        List<Long> bits = new ArrayList<>();
        bits.add(random.nextLong());
        // The first XOR opens a window, the next one strictly inside reuses it, then an equal
        // value.
        bits.add(bits.get(bits.size() - 1) ^ window(random, leading, trailing));
        if (leading + trailing < 62) {
          bits.add(bits.get(bits.size() - 1) ^ window(random, leading + 1, trailing + 1));
        }
        bits.add(bits.get(bits.size() - 1));
        // The sign bit alone opens a window of (0, 63) unless the current one covers it; then the
        // same window again, now opened after another.
        bits.add(bits.get(bits.size() - 1) ^ Long.MIN_VALUE);
        bits.add(bits.get(bits.size() - 1) ^ window(random, leading, trailing));
        long[] timestamps = new long[bits.size()];
        double[] values = new double[bits.size()];
        for (int i = 0; i < values.length; i++) {
          timestamps[i] = i;
          values[i] = Double.longBitsToDouble(bits.get(i));
        }
        assertRoundTrip(timestamps, values);
      }
    }
  }

  /** Random bits with exactly {@code leading} and {@code trailing} zeros around them. */
  private static long window(Random random, int leading, int trailing) {
    int width = 64 - leading - trailing;
    long mask = width == 64 ? -1L : ((1L << width) - 1) << trailing;
    return (random.nextLong() & mask) | (1L << trailing) | (Long.MIN_VALUE >>> leading);
  }

  @Test
  void emptyAndSingleSample() {
    XorChunk empty = assertRoundTrip(new long[0], new double[0]);
    assertThat(empty).isEqualTo(XorChunk.EMPTY);
    assertThat(empty.count()).isZero();
    assertThat(empty.minTimestamp()).isEqualTo(Long.MAX_VALUE);
    assertThat(empty.maxTimestamp()).isEqualTo(Long.MIN_VALUE);
    assertThat(empty.iterator().next()).isFalse();
    assertThat(new XorChunkEncoder().toChunk()).isEqualTo(XorChunk.EMPTY);

    for (long t : new long[] {Long.MIN_VALUE, -1, 0, 1_764_000_000_000L, Long.MAX_VALUE}) {
      XorChunk one =
          assertRoundTrip(
              new long[] {t}, new double[] {Double.longBitsToDouble(0x7ff0000000000002L)});
      assertThat(one.minTimestamp()).isEqualTo(t);
      assertThat(one.maxTimestamp()).isEqualTo(t);
    }
  }

  @Test
  void constantRegularSeriesCostsTwoBitsPerSample() {
    int n = 1000;
    long[] timestamps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      timestamps[i] = 1_764_000_000_000L + 15_000L * i;
      values[i] = 1.0;
    }
    // Header: format 1 + count 2 + first 6 + span 4 bytes. Stream: first value 64 bits, delta
    // varint 16 bits + 1 bit, then 998 times a zero delta of deltas and an equal value, 2 bits.
    assertThat(assertRoundTrip(timestamps, values).sizeBytes())
        .isEqualTo(13 + (64 + 17 + 998 * 2 + 7) / 8);
  }
}
