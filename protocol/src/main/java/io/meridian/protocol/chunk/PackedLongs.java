package io.meridian.protocol.chunk;

/**
 * Codec of a sequence of longs {@code x[0..n)} whose first element the caller keeps elsewhere: the
 * timestamps and the decimal mantissas of a {@link XorChunk#FORMAT_DECIMAL} chunk. The encoder
 * tries every transform and block size and keeps the smallest, so that a counter, a drifting gauge
 * and a jittery but regular clock each get the residuals that are smallest for them.
 *
 * <p>Layout, a bit stream starting and ending (zero-padded) on a byte boundary:
 *
 * <pre>
 *   mode      8 bits: transform (bits 7-6), log2(block size) - 3 (bits 5-3), 0 (bits 2-0)
 *   param     zig-zag varint in 8-bit groups: x[1] - x[0] for DOD, the step for LINEAR, else none
 *   base      zig-zag varint in 8-bit groups: the smallest residual (frame of reference)
 *   blocks    of up to 'block size' residuals: 6 bits of width w (63 meaning 64), then each
 *             residual minus base in w bits
 * </pre>
 *
 * Residuals, for i from 1 (from 2 for DOD): RAW {@code x[i]}; DELTA {@code x[i] - x[i-1]}; DOD
 * {@code (x[i] - x[i-1]) - (x[i-1] - x[i-2])}; LINEAR {@code x[i] - x[0] - i * step} with step the
 * mean delta, which for a clock that ticks on a fixed schedule leaves only the jitter. All
 * arithmetic wraps modulo 2<sup>64</sup> and residuals minus base are read unsigned, so any longs
 * round-trip.
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
    int n = xs.length;
    long bestBits = Long.MAX_VALUE;
    int bestTransform = DELTA;
    int bestLog = 0;
    long[] bestResiduals = null;
    long bestParam = 0;
    for (int transform = RAW; transform <= LINEAR; transform++) {
      if (transform == DOD && n < 3) {
        continue;
      }
      long param = param(xs, transform);
      long[] residuals = residuals(xs, transform, param);
      long base = min(residuals);
      long header =
          8
              + (hasParam(transform) ? varintBits(Varints.zigZag(param)) : 0)
              + varintBits(Varints.zigZag(base));
      for (int log = 0; log < BLOCK_SIZES; log++) {
        long bits = header + blockBits(residuals, base, 8 << log);
        if (bits < bestBits) {
          bestBits = bits;
          bestTransform = transform;
          bestLog = log;
          bestResiduals = residuals;
          bestParam = param;
        }
      }
    }
    long base = min(bestResiduals);
    out.writeBits(((long) bestTransform << 6) | ((long) bestLog << 3), 8);
    if (hasParam(bestTransform)) {
      out.writeUnsignedVarint(Varints.zigZag(bestParam));
    }
    out.writeUnsignedVarint(Varints.zigZag(base));
    int blockSize = 8 << bestLog;
    for (int from = 0; from < bestResiduals.length; from += blockSize) {
      int to = Math.min(bestResiduals.length, from + blockSize);
      int width = width(bestResiduals, base, from, to);
      out.writeBits(width == 64 ? 63 : width, 6);
      for (int i = from; i < to; i++) {
        out.writeBits(bestResiduals[i] - base, width);
      }
    }
    out.alignToByte();
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

  private static long blockBits(long[] residuals, long base, int blockSize) {
    long bits = 0;
    for (int from = 0; from < residuals.length; from += blockSize) {
      int to = Math.min(residuals.length, from + blockSize);
      int width = width(residuals, base, from, to);
      bits += 6 + (long) width * (to - from);
    }
    return bits;
  }

  /** Bits of the largest residual minus base in [from, to), read unsigned. */
  private static int width(long[] residuals, long base, int from, int to) {
    long or = 0;
    for (int i = from; i < to; i++) {
      or |= residuals[i] - base;
    }
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
    private final long param;
    private final long base;
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
      if ((mode & 7) != 0) {
        throw in.corrupt("has mode bits " + mode);
      }
      param = hasParam(transform) ? Varints.unZigZag(in.readUnsignedVarint()) : 0;
      base = Varints.unZigZag(in.readUnsignedVarint());
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
        long residual = base + readResidual();
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

    private long readResidual() {
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
