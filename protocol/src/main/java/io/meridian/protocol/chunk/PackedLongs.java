package io.meridian.protocol.chunk;

/**
 * Codec of a sequence of longs {@code x[0..n)} whose first element the caller keeps elsewhere: the
 * timestamps and the decimal mantissas of a {@link XorChunk#FORMAT_DECIMAL} chunk. The encoder
 * tries every transform, offset and block size and keeps the smallest, so that a counter, a
 * drifting gauge, a mostly constant one and a jittery but regular clock each get the residuals that
 * are smallest for them.
 *
 * <p>Layout, a bit stream starting and ending (zero-padded) on a byte boundary:
 *
 * <pre>
 *   mode      8 bits: transform (bits 7-6), log2(block size) - 3 (bits 5-3), 0 (bit 2),
 *             offset: zig-zag 1 or frame of reference 0 (bit 1), whether a divisor follows (bit 0)
 *   param     zig-zag varint in 8-bit groups: x[1] - x[0] for DOD, the step for LINEAR, else none
 *   base      zig-zag varint in 8-bit groups, for frame of reference only: the smallest residual
 *   divisor   varint in 8-bit groups, at least 2, if the mode says so
 *   blocks    of up to 'block size' codes: 6 bits of width w (63 meaning 64), then each code in w
 *             bits
 * </pre>
 *
 * Residuals, for i from 1 (from 2 for DOD): RAW {@code x[i]}; DELTA {@code x[i] - x[i-1]}; DOD
 * {@code (x[i] - x[i-1]) - (x[i-1] - x[i-2])}; LINEAR {@code x[i] - x[0] - i * step} with step the
 * mean delta, which for a clock that ticks on a fixed schedule leaves only the jitter. A residual r
 * is coded as {@code (r - base) / divisor} (frame of reference, read unsigned: for residuals in a
 * band, like a counter's deltas) or as {@code zigzag(r / divisor)} (for residuals mostly zero, like
 * a mostly constant gauge's deltas, which a negative base would make all non-zero). All arithmetic
 * wraps modulo 2<sup>64</sup>, so any longs round-trip.
 *
 * <p>The divisor, the greatest common divisor of the residuals (minus base), is for values counted
 * in units: memory in 4 KiB pages, disk bytes in 512-byte sectors, frequencies in MHz; their deltas
 * are multiples of the unit, which would cost 9 to 12 bits a sample.
 */
final class PackedLongs {

  static final int RAW = 0;
  static final int DELTA = 1;
  static final int DOD = 2;
  static final int LINEAR = 3;

  private static final int BLOCK_SIZES = 8;

  private PackedLongs() {}

  /**
   * Appends the encoding of {@code xs[1..n)} (n at least 2) to {@code out}, which must be on a byte
   * boundary; leaves it on one.
   */
  static void encode(long[] xs, BitWriter out) {
    Candidate best = null;
    for (int transform = RAW; transform <= LINEAR; transform++) {
      if (transform == DOD && xs.length < 3) {
        continue;
      }
      long param = param(xs, transform);
      long[] residuals = residuals(xs, transform, param);
      for (boolean zigZag : new boolean[] {false, true}) {
        Candidate candidate = Candidate.of(transform, param, residuals, zigZag);
        if (best == null || candidate.bits < best.bits) {
          best = candidate;
        }
      }
    }
    best.write(out);
    out.alignToByte();
  }

  /** One way to code the residuals, with its size in bits for the best block size. */
  private static final class Candidate {
    final int transform;
    final long param;
    final boolean zigZag;
    final long base;
    final long divisor;
    final long[] codes;
    int log;
    long bits = Long.MAX_VALUE;

    private Candidate(
        int transform, long param, boolean zigZag, long base, long divisor, long[] codes) {
      this.transform = transform;
      this.param = param;
      this.zigZag = zigZag;
      this.base = base;
      this.divisor = divisor;
      this.codes = codes;
    }

    static Candidate of(int transform, long param, long[] residuals, boolean zigZag) {
      long base = zigZag ? 0 : min(residuals);
      long divisor = divisor(residuals, base, zigZag);
      long[] codes = new long[residuals.length];
      // Every offset is a multiple of the divisor (their gcd) and not negative (else the divisor
      // is 1): a shift and a multiplication divide it exactly, where a division takes ~40 cycles.
      int shift = Long.numberOfTrailingZeros(divisor);
      long inverse = inverse(divisor >> shift);
      for (int i = 0; i < codes.length; i++) {
        long offset = zigZag ? residuals[i] : residuals[i] - base;
        long code = (offset >> shift) * inverse;
        codes[i] = zigZag ? Varints.zigZag(code) : code;
      }
      Candidate candidate = new Candidate(transform, param, zigZag, base, divisor, codes);
      long header =
          8
              + (hasParam(transform) ? varintBits(Varints.zigZag(param)) : 0)
              + (zigZag ? 0 : varintBits(Varints.zigZag(base)))
              + (divisor > 1 ? varintBits(divisor) : 0);
      // The OR of each 8 codes: a block of 8 << log codes is as wide as the OR of 1 << log of them.
      long[] ors = new long[(codes.length + 7) >>> 3];
      for (int i = 0; i < codes.length; i++) {
        ors[i >>> 3] |= codes[i];
      }
      for (int log = 0; log < BLOCK_SIZES; log++) {
        long bits = header + blockBits(ors, codes.length, log);
        if (bits < candidate.bits) {
          candidate.bits = bits;
          candidate.log = log;
        }
      }
      return candidate;
    }

    void write(BitWriter out) {
      long mode =
          ((long) transform << 6) | ((long) log << 3) | (zigZag ? 2 : 0) | (divisor > 1 ? 1 : 0);
      out.writeBits(mode, 8);
      if (hasParam(transform)) {
        out.writeUnsignedVarint(Varints.zigZag(param));
      }
      if (!zigZag) {
        out.writeUnsignedVarint(Varints.zigZag(base));
      }
      if (divisor > 1) {
        out.writeUnsignedVarint(divisor);
      }
      int blockSize = 8 << log;
      for (int from = 0; from < codes.length; from += blockSize) {
        int to = Math.min(codes.length, from + blockSize);
        int width = width(codes, from, to);
        out.writeBits(width == 64 ? 63 : width, 6);
        for (int i = from; i < to; i++) {
          out.writeBits(codes[i], width);
        }
      }
    }
  }

  private static boolean hasParam(int transform) {
    return transform == DOD || transform == LINEAR;
  }

  private static long param(long[] xs, int transform) {
    int n = xs.length;
    return switch (transform) {
      case DOD -> xs[1] - xs[0];
      case LINEAR -> meanStep(xs[0], xs[n - 1], n - 1);
      default -> 0;
    };
  }

  /**
   * The mean step from {@code first} to {@code last}, rounded toward zero. Any step round-trips; a
   * good one leaves small residuals. A span that overflows a long is positive (only ascending
   * timestamps get that far apart), so it is divided unsigned.
   */
  private static long meanStep(long first, long last, int steps) {
    long span = last - first;
    boolean overflow = ((last ^ first) & (last ^ span)) < 0;
    return overflow ? Long.divideUnsigned(span, steps) : span / steps;
  }

  private static long[] residuals(long[] xs, int transform, long param) {
    int n = xs.length;
    if (transform == DOD) {
      long[] residuals = new long[n - 2];
      for (int i = 2; i < n; i++) {
        residuals[i - 2] = (xs[i] - xs[i - 1]) - (xs[i - 1] - xs[i - 2]);
      }
      return residuals;
    }
    long[] residuals = new long[n - 1];
    for (int i = 1; i < n; i++) {
      residuals[i - 1] =
          switch (transform) {
            case RAW -> xs[i];
            case DELTA -> xs[i] - xs[i - 1];
            default -> xs[i] - xs[0] - i * param;
          };
    }
    return residuals;
  }

  private static long min(long[] values) {
    long min = Long.MAX_VALUE;
    for (long value : values) {
      min = Math.min(min, value);
    }
    return values.length == 0 ? 0 : min;
  }

  /**
   * The greatest common divisor of the residuals (minus base), or 1 if it is 0 (all zero) or some
   * does not fit a signed long (then the plain codes are used).
   */
  private static long divisor(long[] residuals, long base, boolean zigZag) {
    long gcd = 0;
    for (long residual : residuals) {
      long offset = zigZag ? Math.abs(residual) : residual - base;
      if (offset < 0) {
        return 1;
      }
      gcd = gcd(gcd, offset);
      if (gcd == 1) {
        return 1;
      }
    }
    return gcd == 0 ? 1 : gcd;
  }

  /**
   * The inverse of odd {@code x} modulo 2^64 (Newton's iteration: each step doubles the correct low
   * bits, from 3), so that {@code (d * q) * inverse(d) == q} for every {@code q}.
   */
  static long inverse(long x) {
    long inverse = x;
    for (int i = 0; i < 5; i++) {
      inverse *= 2 - x * inverse;
    }
    return inverse;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Bits of {@code count} codes in blocks of {@code 8 << log}, from the ORs of each 8 codes. */
  private static long blockBits(long[] ors, int count, int log) {
    long bits = 0;
    int step = 1 << log;
    for (int from = 0; from < ors.length; from += step) {
      int to = Math.min(ors.length, from + step);
      long or = 0;
      for (int i = from; i < to; i++) {
        or |= ors[i];
      }
      int codesInBlock = Math.min(count, to * 8) - from * 8;
      bits += 6 + (long) widthOf(or) * codesInBlock;
    }
    return bits;
  }

  /** Bits of the largest code in [from, to), read unsigned. */
  private static int width(long[] codes, int from, int to) {
    long or = 0;
    for (int i = from; i < to; i++) {
      or |= codes[i];
    }
    return widthOf(or);
  }

  private static int widthOf(long or) {
    int width = 64 - Long.numberOfLeadingZeros(or);
    // The 6-bit width code has no room for both 63 and 64: 63 is written as 64.
    return width == 63 ? 64 : width;
  }

  private static int varintBits(long value) {
    return 8 * Varints.unsignedLength(value);
  }

  /** Decodes {@code x[1]}, {@code x[2]}, … one per {@link #next()}. */
  static final class Reader {

    private final BitReader in;
    private final int transform;
    private final int blockSize;
    private final boolean zigZag;
    private final long param;
    private final long base;
    private final long divisor;
    private final long first;

    private int index;
    private int leftInBlock;
    private int width;
    private long previous;
    private long delta;

    /**
     * @param in positioned at the start of the encoding
     * @param first {@code x[0]}
     */
    Reader(BitReader in, long first) {
      this.in = in;
      int mode = (int) in.readBits(8);
      transform = mode >>> 6;
      blockSize = 8 << ((mode >>> 3) & 7);
      if ((mode & 4) != 0) {
        throw in.corrupt("has mode bits " + mode);
      }
      zigZag = (mode & 2) != 0;
      param = hasParam(transform) ? Varints.unZigZag(in.readUnsignedVarint()) : 0;
      base = zigZag ? 0 : Varints.unZigZag(in.readUnsignedVarint());
      divisor = (mode & 1) != 0 ? in.readUnsignedVarint() : 1;
      this.first = first;
      this.previous = first;
    }

    /** The next element, {@code x[1]} on the first call. */
    long next() {
      index++;
      long x;
      if (transform == DOD && index == 1) {
        delta = param;
        x = previous + delta;
      } else {
        long code = readCode();
        long residual = zigZag ? divisor * Varints.unZigZag(code) : base + divisor * code;
        x =
            switch (transform) {
              case RAW -> residual;
              case DELTA -> previous + residual;
              case DOD -> previous + (delta += residual);
              default -> first + index * param + residual;
            };
      }
      previous = x;
      return x;
    }

    private long readCode() {
      if (leftInBlock == 0) {
        int code = (int) in.readBits(6);
        width = code == 63 ? 64 : code;
        leftInBlock = blockSize;
      }
      leftInBlock--;
      return in.readBits(width);
    }
  }
}
