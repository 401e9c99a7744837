package io.meridian.protocol.chunk;

import static io.meridian.protocol.chunk.Series.assertCompacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link XorChunk#compact()} and the {@link XorChunk#FORMAT_DECIMAL} format: chunks of short
 * decimals become smaller decimal chunks holding the same samples bit-exact; any other chunk stays
 * as it is; corrupt decimal chunks fail clearly.
 */
class XorChunkDecimalTest {

  private static final long START = 1_764_000_000_000L;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void countersWithIntegerIncrementsBecomeDecimal(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {2, 3, 120, 480, 1000}) {
      double[] values = new double[n];
      long counter = random.nextInt(1 << 30);
      for (int i = 0; i < n; i++) {
        values[i] = counter;
        counter += random.nextInt(100_000);
      }
      assertExactDecimal(Series.scrapeTimestamps(random, n), values);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void countersWithHundredthsBecomeDecimal(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {2, 120, 480}) {
      double[] values = new double[n];
      long hundredths = random.nextInt(1 << 30);
      for (int i = 0; i < n; i++) {
        // As a scrape's text parses: the double nearest the decimal.
        values[i] =
            Double.parseDouble(hundredths / 100 + "." + String.format("%02d", hundredths % 100));
        hundredths += 1400 + random.nextInt(100);
      }
      assertExactDecimal(Series.scrapeTimestamps(random, n), values);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void gaugesAroundZeroWithVariousDecimalsBecomeDecimal(long seed) {
    Random random = new Random(seed);
    for (int decimals = 0; decimals <= 12; decimals += 3) {
      int n = 240;
      double[] values = new double[n];
      long mantissa = 0;
      for (int i = 0; i < n; i++) {
        mantissa += random.nextInt(2001) - 1000;
        values[i] = DecimalChunks.toDouble(mantissa, -decimals);
      }
      if (Arrays.stream(values).anyMatch(v -> Double.doubleToRawLongBits(v) == Long.MIN_VALUE)) {
        continue;
      }
      assertExactDecimal(Series.scrapeTimestamps(random, n), values);
    }
  }

  @Test
  void largeMagnitudesNearTwoToThe53() {
    long max = (1L << 53) - 1;
    long[] timestamps = {START, START + 15_000, START + 30_000, START + 45_000};
    assertExactDecimal(timestamps, new double[] {max, -max, max - 1, 0});
    assertExactDecimal(timestamps, new double[] {max / 100.0, -max / 100.0, 1.5, 0.01});
    // Integers beyond 2^53 that are short decimals: 9.2e18 (a file descriptor limit), 1e30.
    assertExactDecimal(timestamps, new double[] {9.2e18, 1e30, 1e20, 123e20});
    assertExactDecimal(timestamps, new double[] {1e-20, 5e-20, 0, 1.5e-19});
    // 2^53 + 2 has 16 significant digits and 2^60 19: more than a mantissa holds.
    assertStaysXor(timestamps, new double[] {1, 2, 3, 0x1p53 + 2});
    assertStaysXor(timestamps, new double[] {1, 2, 3, 0x1p60});
    // Smaller than 10^-20 or finer than a mantissa allows.
    assertStaysXor(timestamps, new double[] {1, 2, 3, 1e-21});
    assertStaysXor(timestamps, new double[] {1e6, 1, 1, 1e-12});
  }

  @Test
  void shortDecimalsHaveAtMostSixteenDigits() {
    long[] timestamps = {START, START + 15_000, START + 30_000};
    // Doubles whose shortest text has at most 16 digits, like Math.PI's 3.141592653589793, are
    // short decimals too.
    assertExactDecimal(timestamps, new double[] {1, Math.PI, 2});
    assertExactDecimal(timestamps, new double[] {0.5, 1.0 / 3, 0.25});
    assertExactDecimal(timestamps, new double[] {0.1, 0.2, 0.3});
    assertExactDecimal(timestamps, new double[] {0.5, 0.25, 0.125});
    // 1/3's 16 decimals would make 1 a mantissa of 10^16, more than 2^53; 0.1 + 0.2 needs 17
    // digits: both are a few units in the last place off a shorter decimal.
    assertCorrectedDecimal(timestamps, new double[] {1, 1.0 / 3, 2});
    assertCorrectedDecimal(timestamps, new double[] {0.1, 0.2, 0.1 + 0.2});
    assertCorrectedDecimal(timestamps, new double[] {1, Double.MIN_VALUE, 2});
    // Too many digits, too large or too small for any mantissa and exponent.
    assertStaysXor(timestamps, new double[] {1, 2, 0x1p53 + 2});
    assertStaysXor(timestamps, new double[] {1, Double.MAX_VALUE, 2});
    assertStaysXor(timestamps, new double[] {1, 2, 1e-21});
    assertStaysXor(timestamps, new double[] {1e6, 1, 1e-12});
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void sumsOfDecimalsAddedInBinaryGetCorrections(long seed) {
    // A program that adds each scrape's increment to a double: 0.1 + 0.2 over and over.
    Random random = new Random(seed);
    for (int n : new int[] {2, 120, 480, 1000}) {
      double[] values = new double[n];
      double counter = random.nextInt(1_000_000) / 100.0;
      for (int i = 0; i < n; i++) {
        values[i] = counter;
        counter += (1300 + random.nextInt(200)) / 100.0;
      }
      long[] timestamps = Series.scrapeTimestamps(random, n);
      if (n < 100) {
        // Maybe exact: no carry has gone wrong yet.
        assertDecimal(timestamps, values);
        continue;
      }
      XorChunk decimal = assertCorrectedDecimal(timestamps, values);
      XorChunk xor = XorChunk.encode(timestamps, values);
      assertThat(xor.compact()).isEqualTo(decimal);
      assertThat(decimal.sizeBytes()).isLessThan(xor.sizeBytes() / 2);
    }
  }

  @Test
  void specialValuesKeepAChunkXor() {
    double[] specials = {
      Double.NaN,
      Double.longBitsToDouble(0x7ff0000000000002L), // Prometheus' StaleNaN
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
    };
    Random random = new Random(5);
    long[] timestamps = Series.scrapeTimestamps(random, 120);
    for (double special : specials) {
      for (int at : new int[] {0, 1, 60, 119}) {
        double[] values = new double[120];
        for (int i = 0; i < values.length; i++) {
          values[i] = i * 0.25;
        }
        values[at] = special;
        assertStaysXor(timestamps, values);
      }
    }
  }

  @Test
  void singleAndEmptyChunks() {
    assertThat(XorChunk.EMPTY.compact()).isSameAs(XorChunk.EMPTY);
    XorChunk single = assertExactDecimal(new long[] {START}, new double[] {0.42});
    assertThat(single.sizeBytes())
        .isLessThan(XorChunk.encode(new long[] {START}, new double[] {0.42}).sizeBytes());
    assertThat(XorChunk.encode(new long[] {START}, new double[] {0.42}).compact())
        .isEqualTo(single);
    assertExactDecimal(new long[] {-5}, new double[] {0});
    assertExactDecimal(new long[] {Long.MAX_VALUE}, new double[] {-123456789});
    assertStaysXor(new long[] {START}, new double[] {Double.NaN});
    assertExactDecimal(new long[] {START, START + 1}, new double[] {0, 0});
    // An empty chunk in the decimal format is well-formed too.
    XorChunk emptyDecimal = new XorChunk(new byte[] {XorChunk.FORMAT_DECIMAL, 0});
    assertThat(emptyDecimal.count()).isZero();
    assertThat(emptyDecimal.iterator().next()).isFalse();
    assertThat(emptyDecimal.minTimestamp()).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void anyTimestampsRoundTripInTheDecimalFormat(long seed) {
    Random random = new Random(seed);
    long[][] series = {
      Series.hugeGapTimestamps(random, 300),
      Series.irregularTimestamps(random, random.nextLong() >> 20, 500),
      Series.irregularTimestamps(random, -86_400_000L * 365 * 60, 400),
      {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE},
      {Long.MIN_VALUE, Long.MAX_VALUE},
      {Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE},
    };
    for (long[] timestamps : series) {
      double[] values = new double[timestamps.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextInt(10) / 10.0;
      }
      // Decimal as long as it is smaller, which the 64-bit value of an XOR chunk's first sample
      // almost guarantees; the checks hold either way.
      assertCompacts(Series.assertRoundTrip(timestamps, values), timestamps, values);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void compactNeverGrowsAChunkNorChangesItsSamples(long seed) {
    Random random = new Random(seed);
    for (int n : new int[] {1, 2, 3, 120, 1000}) {
      long[] timestamps = Series.scrapeTimestamps(random, n);
      double[] values = Series.mixedValues(random, n);
      assertCompacts(XorChunk.encode(timestamps, values), timestamps, values);
      // Repeats and small integers: decimal unless the XOR chunk is smaller.
      for (int i = 0; i < n; i++) {
        values[i] = random.nextInt(4) == 0 ? random.nextInt(1000) : i > 0 ? values[i - 1] : 7;
      }
      assertCompacts(XorChunk.encode(timestamps, values), timestamps, values);
    }
  }

  @Test
  void theFormatByteChoosesTheDecoder() throws Exception {
    long[] timestamps = Series.scrapeTimestamps(new Random(9), 100);
    double[] values = new double[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = 1000 + i * 0.5;
    }
    XorChunk xor = XorChunk.encode(timestamps, values);
    XorChunk decimal = xor.compact();
    assertThat(xor.format()).isEqualTo(XorChunk.FORMAT_XOR);
    assertThat(xor.data()[0]).isEqualTo(XorChunk.FORMAT_XOR);
    assertThat(decimal.format()).isEqualTo(XorChunk.FORMAT_DECIMAL);
    assertThat(decimal.data()[0]).isEqualTo(XorChunk.FORMAT_DECIMAL);
    assertThat(decimal).isNotEqualTo(xor);
    assertThat(decimal.toString()).startsWith("XorChunk[decimal, 100 samples, ");
    // Rebuilt from its bytes (as read from storage) and through CBOR (as sent between nodes).
    XorChunk rebuilt = new XorChunk(decimal.data().clone());
    assertThat(rebuilt).isEqualTo(decimal);
    assertThat(rebuilt.values()).containsExactly(values);
    CBORMapper mapper = new CBORMapper();
    XorChunk read = mapper.readValue(mapper.writeValueAsBytes(decimal), XorChunk.class);
    assertThat(read).isEqualTo(decimal);
    assertThat(read.timestamps()).containsExactly(timestamps);
    // A head resumed from a decimal chunk appends in the XOR format.
    XorChunkEncoder resumed = XorChunkEncoder.of(decimal);
    resumed.append(timestamps[99] + 15_000, 0.1 + 0.2);
    assertThat(resumed.toChunk().format()).isEqualTo(XorChunk.FORMAT_XOR);
    assertThat(resumed.toChunk().count()).isEqualTo(101);
  }

  @Test
  void corruptHeadersAreRefused() {
    XorChunk decimal = sample().compact();
    byte[] data = decimal.data();
    int exponentAt = Varints.skip(data, Varints.skip(data, Varints.skip(data, 1)));
    byte[] badExponent = data.clone();
    badExponent[exponentAt] = 21;
    assertThatThrownBy(() -> new XorChunk(badExponent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exponent out of range: 21");
    assertThatThrownBy(() -> new XorChunk(Arrays.copyOf(data, exponentAt)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no exponent");
    assertThatThrownBy(() -> new XorChunk(Arrays.copyOf(data, exponentAt + 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> new XorChunk(new byte[] {XorChunk.FORMAT_DECIMAL, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTruncatedDecimalChunkFailsOnReadingNotWithGarbage() {
    XorChunk decimal = sample().compact();
    assertThat(decimal.format()).isEqualTo(XorChunk.FORMAT_DECIMAL);
    XorChunk broken = new XorChunk(Arrays.copyOf(decimal.data(), decimal.sizeBytes() - 20));
    assertThat(broken.count()).isEqualTo(decimal.count());
    assertThatThrownBy(broken::values)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt decimal chunk");
  }

  @Test
  void everyFlippedBitFailsCleanlyOrDecodesSomething() {
    for (XorChunk decimal : new XorChunk[] {sample().compact(), corrected()}) {
      assertFlippedBitsFailCleanly(decimal);
    }
  }

  @Test
  void aTruncatedCorrectedChunkFailsOnReading() {
    XorChunk decimal = corrected();
    for (int cut = 1; cut < decimal.sizeBytes() / 2; cut++) {
      byte[] truncated = Arrays.copyOf(decimal.data(), decimal.sizeBytes() - cut);
      Throwable thrown = catchThrowable(() -> new XorChunk(truncated).values());
      assertThat(thrown)
          .as("cut %d", cut)
          .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
    }
  }

  private static void assertFlippedBitsFailCleanly(XorChunk decimal) {
    byte[] data = decimal.data();
    for (int at = 1; at < data.length; at++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] flipped = data.clone();
        flipped[at] ^= (byte) (1 << bit);
        Throwable thrown =
            catchThrowable(
                () -> {
                  XorChunk chunk = new XorChunk(flipped);
                  if (chunk.count() < 100_000) {
                    chunk.timestamps();
                    chunk.values();
                  }
                });
        if (thrown != null) {
          assertThat(thrown)
              .as("byte %d bit %d", at, bit)
              .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
        }
      }
    }
  }

  /** 200 samples of a counter that adds hundredths in binary: a decimal chunk with corrections. */
  private static XorChunk corrected() {
    Random random = new Random(12);
    long[] timestamps = Series.scrapeTimestamps(random, 200);
    double[] values = new double[200];
    double counter = 1234.5;
    for (int i = 0; i < values.length; i++) {
      values[i] = counter;
      counter += random.nextInt(1500) / 100.0;
    }
    XorChunk decimal = XorChunk.encode(timestamps, values).compact();
    assertThat(flags(decimal)).isEqualTo(DecimalChunks.FLAG_CORRECTIONS);
    return decimal;
  }

  /** 200 samples of a counter in hundredths, which compacts to a decimal chunk. */
  private static XorChunk sample() {
    Random random = new Random(11);
    long[] timestamps = Series.scrapeTimestamps(random, 200);
    double[] values = new double[200];
    long hundredths = 123_456_789;
    for (int i = 0; i < values.length; i++) {
      values[i] = DecimalChunks.toDouble(hundredths, -2);
      hundredths += random.nextInt(1500);
    }
    return XorChunk.encode(timestamps, values);
  }

  /**
   * Checks that the samples have a decimal encoding that round-trips and, for chunks of more than a
   * handful of samples (in which the XOR format's 64-bit first value may win), that compacting
   * picks it.
   */
  private static XorChunk assertDecimal(long[] timestamps, double[] values) {
    XorChunk decimal = DecimalChunks.encode(timestamps, values);
    assertThat(decimal).as("decimal encoding").isNotNull();
    assertThat(decimal.format()).isEqualTo(XorChunk.FORMAT_DECIMAL);
    assertThat(decimal.count()).isEqualTo(timestamps.length);
    assertThat(decimal.timestamps()).containsExactly(timestamps);
    assertThat(Series.bits(decimal.values())).containsExactly(Series.bits(values));
    Series.assertSamples(decimal.iterator(), timestamps, values);
    XorChunk xor = Series.assertRoundTrip(timestamps, values);
    XorChunk compact = assertCompacts(xor, timestamps, values);
    if (timestamps.length >= 100) {
      assertThat(compact).as("compacted chunk").isEqualTo(decimal);
    }
    return decimal;
  }

  private static void assertStaysXor(long[] timestamps, double[] values) {
    XorChunk xor = Series.assertRoundTrip(timestamps, values);
    assertThat(xor.compact()).isSameAs(xor);
    assertThat(DecimalChunks.encode(timestamps, values)).isNull();
  }

  /** Checks a decimal encoding without corrections. */
  private static XorChunk assertExactDecimal(long[] timestamps, double[] values) {
    XorChunk decimal = assertDecimal(timestamps, values);
    assertThat(flags(decimal)).as("flags").isZero();
    return decimal;
  }

  /** Checks a decimal encoding with corrections. */
  private static XorChunk assertCorrectedDecimal(long[] timestamps, double[] values) {
    XorChunk decimal = assertDecimal(timestamps, values);
    assertThat(flags(decimal)).as("flags").isEqualTo(DecimalChunks.FLAG_CORRECTIONS);
    return decimal;
  }

  private static int flags(XorChunk decimal) {
    byte[] data = decimal.data();
    return data[Varints.skip(data, Varints.skip(data, Varints.skip(data, 1))) + 1];
  }
}
