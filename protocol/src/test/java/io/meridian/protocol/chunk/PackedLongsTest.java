package io.meridian.protocol.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Packed longs whose residuals share a divisor: the encoder divides them by a shift and a
 * multiplication by the divisor's odd part's inverse, which must give what a division gives for
 * every divisor, sign and magnitude.
 */
class PackedLongsTest {

  @Test
  void theInverseOfEveryOddNumberModuloTwoToThe64() {
    Random random = new Random(11);
    for (long odd : new long[] {1, 3, 5, 15, 1_000_001, Long.MAX_VALUE, -1, Long.MIN_VALUE + 1}) {
      assertThat(odd * PackedLongs.inverse(odd)).isEqualTo(1);
    }
    for (int i = 0; i < 100_000; i++) {
      long odd = random.nextLong() | 1;
      assertThat(odd * PackedLongs.inverse(odd)).isEqualTo(1);
    }
  }

  @Test
  void multiplesOfEveryKindOfDivisorComeBackExactly() {
    Random random = new Random(29);
    long[] divisors = {
      2, 3, 10, 1_000, 15_000, 60_000, 1L << 20, 3L << 40, 7L << 55, 1L << 62, 999_999_937L
    };
    for (long divisor : divisors) {
      long largest = Long.MAX_VALUE / divisor;
      for (int round = 0; round < 50; round++) {
        int n = 2 + random.nextInt(300); // the encoder is given two or more
        long[] xs = new long[n];
        long spread = round % 2 == 0 ? Math.min(largest, 1_000) : largest;
        for (int i = 0; i < n; i++) {
          // Multiples of the divisor, of both signs, up to the largest the long range holds.
          xs[i] = divisor * (random.nextLong() % (spread + 1));
        }
        assertRoundTrip(xs);
        // A steady step: every transform's residuals are multiples too.
        long step = divisor * (1 + random.nextInt(5));
        long start = divisor * (random.nextLong() % Math.max(1, largest / 4));
        for (int i = 0; i < n; i++) {
          xs[i] = start + step * i;
        }
        assertRoundTrip(xs);
      }
    }
  }

  private static void assertRoundTrip(long[] xs) {
    BitWriter out = new BitWriter(64);
    PackedLongs.encode(xs, out);
    byte[] data = out.toByteArray();
    PackedLongs.Reader in =
        new PackedLongs.Reader(new BitReader(data, 0, data.length, "xs"), xs[0]);
    for (int i = 1; i < xs.length; i++) {
      assertThat(in.next()).as("x[%d] of %d", i, xs.length).isEqualTo(xs[i]);
    }
  }
}
