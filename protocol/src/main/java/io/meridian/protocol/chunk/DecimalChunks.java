package io.meridian.protocol.chunk;

/**
 * The {@link XorChunk#FORMAT_DECIMAL} format: values that are all short decimals ({@code m × 10^e}
 * with one exponent for the chunk, as scraped text such as {@code 0.42} or {@code 1234567.89}
 * parses to) are stored as their integer mantissas, and both mantissas and timestamps go through
 * {@link PackedLongs}. Gorilla's XOR of such values costs most of their 52 mantissa bits (the
 * binary expansion of a decimal fraction does not repeat in few bits); their mantissas' deltas cost
 * a handful.
 *
 * <p>Layout of the chunk's bytes:
 *
 * <pre>
 *   format      1 byte, {@value XorChunk#FORMAT_DECIMAL}
 *   count       unsigned varint                                  } as in
 *   first       zig-zag varint, the first timestamp              } FORMAT_XOR
 *   span        unsigned varint, last - first (mod 2^64)         }
 *   exponent    1 byte, signed, -20 to 20                        } count &gt;= 1
 *   flags       1 byte: 1 if there are corrections, else 0       }
 *   mantissa    zig-zag varint, the first value's mantissa       }
 *   correction  zig-zag varint, the first value's correction     } if flagged
 *   ts length   unsigned varint, bytes of the timestamp section  } count &gt;= 2
 *   timestamps  {@link PackedLongs} of the timestamps            }
 *   m length    unsigned varint, bytes of the mantissa section   } if flagged
 *   mantissas   {@link PackedLongs} of the mantissas             }
 *   corrections {@link PackedLongs} of the corrections           } if flagged
 * </pre>
 *
 * A value is {@code (double) m * 10^e} for {@code e >= 0} and {@code (double) m / 10^-e} otherwise:
 * both are one correctly rounded operation on exact operands ({@code |m| < 2^53}, {@code 10^e}
 * exact up to 10<sup>22</sup>), so the value is the double nearest the decimal, the one that
 * parsing its text gives. The encoder keeps a chunk only if every value comes back bit-exact this
 * way (but for corrections, below); {@code -0.0}, NaNs (Prometheus' StaleNaN) and infinities never
 * do, so such chunks stay XOR.
 *
 * <p>Values that are short decimals but for a few units in the last place (sums of decimals added
 * in binary, such as {@code 0.1 + 0.2} or a counter that a program adds 0.13 to per scrape) get
 * corrections: the difference, in units in the last place, between each value's bits and those of
 * its nearest decimal, at most {@value #MAX_CORRECTION} either way. Such errors change by one unit
 * or so from sample to sample, so their deltas cost about two bits a sample. The value is then
 * {@code longBitsToDouble(doubleToRawLongBits(decimal) + correction)}, bit-exact by construction.
 */
final class DecimalChunks {

  static final int MIN_EXPONENT = -20;
  static final int MAX_EXPONENT = 20;

  /** Flag of the flags byte: a correction section follows the mantissas. */
  static final int FLAG_CORRECTIONS = 1;

  /**
   * The most units in the last place a value may be off its decimal: enough for the rounding errors
   * of a few thousand additions, small next to a mantissa's deltas.
   */
  static final long MAX_CORRECTION = 1 << 12;

  /** 2^53: mantissas must be smaller in magnitude, so that {@code (double) m} is exact. */
  private static final long MANTISSA_LIMIT = 1L << 53;

  private static final double[] POW10 = new double[23];
  private static final long[] LONG_POW10 = new long[16];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
    long q = 1;
    for (int i = 0; i < LONG_POW10.length; i++) {
      LONG_POW10[i] = q;
      q *= 10;
    }
  }

  private DecimalChunks() {}

  /**
   * Encodes samples in the decimal format, with corrections if some value is only near a short
   * decimal, or returns null if some value is not even that: then the caller keeps the XOR chunk.
   *
   * @param timestamps strictly ascending, at least one
   */
  static XorChunk encode(long[] timestamps, double[] values) {
    int n = timestamps.length;
    if (n == 0 || n != values.length) {
      return null;
    }
    long[] mantissas = new long[n];
    long[] corrections = null;
    int exponent = toDecimals(values, mantissas);
    if (exponent == Integer.MIN_VALUE) {
      exponent = nearDecimals(values, mantissas);
      if (exponent == Integer.MIN_VALUE) {
        return null;
      }
      corrections = new long[n];
      for (int i = 0; i < n; i++) {
        corrections[i] =
            Double.doubleToRawLongBits(values[i])
                - Double.doubleToRawLongBits(toDouble(mantissas[i], exponent));
      }
    }
    BitWriter out = new BitWriter(32 + n);
    out.writeBits(XorChunk.FORMAT_DECIMAL, 8);
    out.writeUnsignedVarint(n);
    long first = timestamps[0];
    out.writeUnsignedVarint(Varints.zigZag(first));
    out.writeUnsignedVarint(timestamps[n - 1] - first);
    out.writeBits(exponent, 8);
    out.writeBits(corrections == null ? 0 : FLAG_CORRECTIONS, 8);
    out.writeUnsignedVarint(Varints.zigZag(mantissas[0]));
    if (corrections != null) {
      out.writeUnsignedVarint(Varints.zigZag(corrections[0]));
    }
    if (n >= 2) {
      writeSection(timestamps, out);
      if (corrections == null) {
        PackedLongs.encode(mantissas, out);
      } else {
        writeSection(mantissas, out);
        PackedLongs.encode(corrections, out);
      }
    }
    return new XorChunk(out.toByteArray());
  }

  /** Writes a {@link PackedLongs} section preceded by its length in bytes. */
  private static void writeSection(long[] xs, BitWriter out) {
    BitWriter section = new BitWriter(xs.length);
    PackedLongs.encode(xs, section);
    byte[] bytes = section.toByteArray();
    out.writeUnsignedVarint(bytes.length);
    for (byte b : bytes) {
      out.writeBits(b, 8);
    }
  }

  /**
   * For values that are short decimals but for a few units in the last place, as sums of decimals
   * computed in binary are ({@code 0.1 + 0.2}, a counter that adds 0.13 per scrape): fills {@code
   * mantissas} with each value's nearest mantissa for the largest exponent that leaves every value
   * within {@value #MAX_CORRECTION} units of its decimal, and returns that exponent; returns {@link
   * Integer#MIN_VALUE} if there is none or a value is NaN, infinite or {@code -0.0} (those stay
   * XOR). The units in the last place go in the chunk's corrections.
   */
  static int nearDecimals(double[] values, long[] mantissas) {
    for (double value : values) {
      if (!Double.isFinite(value) || Double.doubleToRawLongBits(value) == Long.MIN_VALUE) {
        return Integer.MIN_VALUE;
      }
    }
    for (int exponent = 0; exponent >= MIN_EXPONENT; exponent--) {
      boolean near = true;
      for (int i = 0; i < values.length; i++) {
        double scaled = exponent == 0 ? values[i] : values[i] * POW10[-exponent];
        if (!(Math.abs(scaled) < MANTISSA_LIMIT)) {
          return Integer.MIN_VALUE; // finer exponents only make mantissas larger
        }
        mantissas[i] = (long) Math.rint(scaled);
        long correction =
            Double.doubleToRawLongBits(values[i])
                - Double.doubleToRawLongBits(toDouble(mantissas[i], exponent));
        near &= correction >= -MAX_CORRECTION && correction <= MAX_CORRECTION;
      }
      if (near) {
        return exponent;
      }
    }
    return Integer.MIN_VALUE;
  }

  /**
   * Fills {@code mantissas} with each value's mantissa for one shared exponent, the largest that
   * works, and returns it; returns {@link Integer#MIN_VALUE} if there is none.
   */
  static int toDecimals(double[] values, long[] mantissas) {
    int n = values.length;
    int[] exponents = new int[n];
    int exponent = Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      double value = values[i];
      if (Double.doubleToRawLongBits(value) == 0) {
        mantissas[i] = 0;
        exponents[i] = Integer.MAX_VALUE;
        continue;
      }
      if (!shortestDecimal(value, mantissas, exponents, i)) {
        return Integer.MIN_VALUE;
      }
      exponent = Math.min(exponent, exponents[i]);
    }
    if (exponent == Integer.MAX_VALUE) {
      exponent = 0; // all +0.0
    }
    for (int i = 0; i < n; i++) {
      if (mantissas[i] == 0) {
        continue;
      }
      int scale = exponents[i] - exponent;
      if (scale >= LONG_POW10.length) {
        return Integer.MIN_VALUE;
      }
      // |m| <= floor((2^53 - 1) / 10^scale) exactly when |m| * 10^scale < 2^53.
      if (Math.abs(mantissas[i]) > (MANTISSA_LIMIT - 1) / LONG_POW10[scale]) {
        return Integer.MIN_VALUE;
      }
      long scaled = mantissas[i] * LONG_POW10[scale];
      // Same decimal, same correctly rounded double: this check is a safety net.
      if (Double.doubleToRawLongBits(toDouble(scaled, exponent))
          != Double.doubleToRawLongBits(values[i])) {
        return Integer.MIN_VALUE;
      }
      mantissas[i] = scaled;
    }
    return exponent;
  }

  /**
   * Finds the decimal with the largest exponent in range that gives {@code value} back exactly,
   * stores it at {@code i} and returns true; returns false if there is none.
   */
  private static boolean shortestDecimal(double value, long[] mantissas, int[] exponents, int i) {
    if (!Double.isFinite(value) || Double.doubleToRawLongBits(value) == Long.MIN_VALUE) {
      return false; // NaN, infinities and -0.0 have no decimal that gives them back
    }
    double magnitude = Math.abs(value);
    if (value == Math.rint(value) && magnitude < MANTISSA_LIMIT) {
      long m = (long) value;
      int e = 0;
      while (e < MAX_EXPONENT && m % 10 == 0) {
        m /= 10;
        e++;
      }
      mantissas[i] = m;
      exponents[i] = e;
      return true;
    }
    if (value == Math.rint(value)) {
      // At least 2^53: an integer of more digits than a mantissa holds, maybe 1e30 or 9.2e18.
      for (int e = MAX_EXPONENT; e >= 1; e--) {
        if (tryDecimal(value, Math.rint(value / POW10[e]), e, mantissas, exponents, i)) {
          return true;
        }
      }
      return false;
    }
    for (int e = -1; e >= MIN_EXPONENT; e--) {
      double scaled = value * POW10[-e];
      if (Math.abs(scaled) >= MANTISSA_LIMIT + 2.0) {
        return false;
      }
      // The product is inexact by an ulp or so: the mantissa is its rounding or a neighbour.
      double m = Math.rint(scaled);
      if (tryDecimal(value, m, e, mantissas, exponents, i)
          || tryDecimal(value, m - 1, e, mantissas, exponents, i)
          || tryDecimal(value, m + 1, e, mantissas, exponents, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean tryDecimal(
      double value, double m, int e, long[] mantissas, int[] exponents, int i) {
    if (!(Math.abs(m) < MANTISSA_LIMIT)) {
      return false;
    }
    long mantissa = (long) m;
    if (Double.doubleToRawLongBits(toDouble(mantissa, e)) != Double.doubleToRawLongBits(value)) {
      return false;
    }
    mantissas[i] = mantissa;
    exponents[i] = e;
    return true;
  }

  /** The value of a mantissa and exponent: one correctly rounded operation on exact operands. */
  static double toDouble(long mantissa, int exponent) {
    return exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
  }

  /** Reads a decimal chunk's samples, decoding timestamps and mantissas side by side. */
  static SampleIterator iterator(byte[] data) {
    int[] next = new int[1];
    int count = (int) Varints.readUnsigned(data, 1, next);
    if (count == 0) {
      return XorChunkReader.EMPTY;
    }
    long first = Varints.unZigZag(Varints.readUnsigned(data, next[0], next));
    long last = first + Varints.readUnsigned(data, next[0], next);
    int exponentAt = next[0];
    if (exponentAt >= data.length) {
      throw new IllegalStateException("corrupt decimal chunk: no exponent");
    }
    int exponent = data[exponentAt];
    boolean corrected = (data[exponentAt + 1] & FLAG_CORRECTIONS) != 0;
    long firstMantissa = Varints.unZigZag(Varints.readUnsigned(data, exponentAt + 2, next));
    long firstCorrection =
        corrected ? Varints.unZigZag(Varints.readUnsigned(data, next[0], next)) : 0;
    Reader reader = new Reader(exponent, count, first, last, firstMantissa, firstCorrection);
    if (count == 1) {
      return reader;
    }
    int valuesAt = sectionEnd(data, next[0], next, "timestamp");
    reader.stamps =
        new PackedLongs.Reader(new BitReader(data, next[0], valuesAt, "timestamp section"), first);
    if (!corrected) {
      reader.mantissas =
          new PackedLongs.Reader(
              new BitReader(data, valuesAt, data.length, "value section"), firstMantissa);
      return reader;
    }
    int correctionsAt = sectionEnd(data, valuesAt, next, "value");
    reader.mantissas =
        new PackedLongs.Reader(
            new BitReader(data, next[0], correctionsAt, "value section"), firstMantissa);
    reader.corrections =
        new PackedLongs.Reader(
            new BitReader(data, correctionsAt, data.length, "correction section"), firstCorrection);
    return reader;
  }

  /**
   * Reads the length of the section at {@code at}; stores where its bytes start in {@code next[0]}
   * and returns where they end.
   */
  private static int sectionEnd(byte[] data, int at, int[] next, String what) {
    long length;
    try {
      length = Varints.readUnsigned(data, at, next);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("corrupt decimal chunk: " + what + " section length", e);
    }
    if (Long.compareUnsigned(length, data.length - next[0]) > 0) {
      throw new IllegalStateException(
          "corrupt decimal chunk: "
              + what
              + " section of "
              + Long.toUnsignedString(length)
              + " bytes overruns it");
    }
    return next[0] + (int) length;
  }

  /** The decimal format's {@link SampleIterator}. */
  private static final class Reader implements SampleIterator {

    private final int exponent;
    private final int count;
    private final long first;
    private final long last;
    private final long firstMantissa;
    private final long firstCorrection;
    private PackedLongs.Reader stamps;
    private PackedLongs.Reader mantissas;
    private PackedLongs.Reader corrections;

    private int read;
    private long timestamp;
    private double value;

    Reader(
        int exponent, int count, long first, long last, long firstMantissa, long firstCorrection) {
      this.exponent = exponent;
      this.count = count;
      this.first = first;
      this.last = last;
      this.firstMantissa = firstMantissa;
      this.firstCorrection = firstCorrection;
    }

    @Override
    public boolean next() {
      if (read >= count) {
        return false;
      }
      long mantissa;
      long correction;
      if (read == 0) {
        timestamp = first;
        mantissa = firstMantissa;
        correction = firstCorrection;
      } else {
        long t = stamps.next();
        if (Long.compareUnsigned(t - first, timestamp - first) <= 0) {
          throw corrupt("timestamp " + t + " is not after " + timestamp);
        }
        timestamp = t;
        mantissa = mantissas.next();
        correction = corrections == null ? 0 : corrections.next();
      }
      if (mantissa <= -MANTISSA_LIMIT || mantissa >= MANTISSA_LIMIT) {
        throw corrupt("mantissa " + mantissa + " out of range");
      }
      read++;
      if (read == count && timestamp != last) {
        throw corrupt("last timestamp " + timestamp + " is not the header's " + last);
      }
      value =
          Double.longBitsToDouble(
              Double.doubleToRawLongBits(toDouble(mantissa, exponent)) + correction);
      return true;
    }

    @Override
    public long timestamp() {
      return timestamp;
    }

    @Override
    public double value() {
      return value;
    }

    private IllegalStateException corrupt(String what) {
      return new IllegalStateException(
          "corrupt decimal chunk at sample " + read + " of " + count + ": " + what);
    }
  }
}
