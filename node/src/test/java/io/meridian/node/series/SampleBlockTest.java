package io.meridian.node.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The journal's sample blocks give back every id, count, timestamp and value bit for bit. */
class SampleBlockTest {

  private static SampleBlock.Samples roundTrip(
      long[] ids, int[] counts, long[] timestamps, double[] values) {
    SampleBlock.Samples back =
        SampleBlock.decode(SampleBlock.encode(ids, counts, timestamps, values));
    assertThat(back.ids()).isEqualTo(ids);
    assertThat(back.counts()).isEqualTo(counts);
    assertThat(back.timestamps()).isEqualTo(timestamps);
    long[] expectedBits = Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    long[] actualBits =
        Arrays.stream(back.values()).mapToLong(Double::doubleToRawLongBits).toArray();
    assertThat(actualBits).isEqualTo(expectedBits);
    return back;
  }

  @Test
  void awkwardValuesStayBitExact() {
    double[] values = {
      0,
      -0.0,
      1,
      -1,
      0.1,
      0.35,
      1234.5,
      -98.765432,
      1e-7,
      Math.PI,
      Double.NaN,
      Double.longBitsToDouble(0x7ff0000000000002L),
      Double.longBitsToDouble(0x7ff8000000000001L),
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MAX_VALUE,
      Double.MIN_VALUE,
      -Double.MIN_NORMAL,
      0x1p50,
      0x1p50 - 1,
      -0x1p53,
      9_007_199_254_740_993.0,
      1.7e308,
      123_456_789_012.345
    };
    long[] timestamps = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      timestamps[i] = i % 2 == 0 ? Long.MAX_VALUE - i : Long.MIN_VALUE + i;
    }
    roundTrip(new long[] {Long.MAX_VALUE}, new int[] {values.length}, timestamps, values);
  }

  @Test
  void randomBlocksRoundTrip() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int runs = random.nextInt(50);
      long[] ids = new long[runs];
      int[] counts = new int[runs];
      int total = 0;
      for (int i = 0; i < runs; i++) {
        ids[i] = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(100_000);
        counts[i] = random.nextInt(5);
        total += counts[i];
      }
      long[] timestamps = new long[total];
      double[] values = new double[total];
      for (int i = 0; i < total; i++) {
        timestamps[i] = 1_764_000_000_000L + random.nextInt(1_000_000);
        values[i] =
            switch (random.nextInt(4)) {
              case 0 -> random.nextInt(1_000_000);
              case 1 -> Math.round(random.nextDouble() * 1e6) / 1e3;
              case 2 -> Double.longBitsToDouble(random.nextLong());
              default -> random.nextGaussian() * 1e9;
            };
      }
      roundTrip(ids, counts, timestamps, values);
    }
  }

  @Test
  void scrapeLikeSamplesTakeFewBytes() {
    int n = 1000;
    long[] ids = new long[n];
    int[] counts = new int[n];
    long[] timestamps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      counts[i] = 1;
      timestamps[i] = 1_764_000_015_000L;
      values[i] = i % 2 == 0 ? 4_000_000 + i : (i % 20) / 20.0;
    }
    byte[] block = SampleBlock.encode(ids, counts, timestamps, values);
    roundTrip(ids, counts, timestamps, values);
    // Id step and count (2), timestamp (1, the first 7), value (1 to 4): ~6 bytes a sample.
    assertThat(block.length).isLessThan(n * 7);
  }

  @Test
  void emptyBlocksAndBadBytes() {
    roundTrip(new long[0], new int[0], new long[0], new double[0]);
    byte[] good =
        SampleBlock.encode(new long[] {1}, new int[] {2}, new long[] {5, 6}, new double[] {1, 2});
    assertThatThrownBy(() -> SampleBlock.decode(new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> SampleBlock.decode(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SampleBlock.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after its samples");
    // One run of 3 samples in a block that says it holds 2.
    assertThatThrownBy(() -> SampleBlock.decode(new byte[] {1, 1, 2, 0, 3, 0, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    // Counts far beyond the block's size.
    assertThatThrownBy(() -> SampleBlock.decode(new byte[] {1, (byte) 0xff, 0x7f, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceed");
    assertThatThrownBy(
            () -> SampleBlock.encode(new long[] {1}, new int[0], new long[0], new double[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
