package io.meridian.protocol.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes the bit stream written by {@link XorChunkEncoder}, one sample per {@link #next()}. Reads
 * a byte array in place: the stream of a sealed chunk or the live buffer of an encoder. After the
 * last sample it holds the decoder state that {@link XorChunkEncoder#of} resumes from.
 */
final class XorChunkReader implements SampleIterator {

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static final SampleIterator EMPTY = new XorChunkReader(new byte[0], 0, 0, 0, 0);

  private final byte[] data;
  private final long endBit;
  private final int count;
  private final long first;

  private long bitPos;
  private int read;
  private long timestamp;
  private long delta;
  private long valueBits;
  private int leading = XorChunkEncoder.NO_WINDOW;
  private int trailing;

  /**
   * @param data holds the stream
   * @param start byte offset of the stream's first bit
   * @param end byte offset just past the stream; reading beyond it means the chunk is corrupt
   * @param count samples in the stream
   * @param first the first timestamp, kept outside the stream
   */
  XorChunkReader(byte[] data, int start, int end, int count, long first) {
    this.data = data;
    this.bitPos = start * 8L;
    this.endBit = end * 8L;
    this.count = count;
    this.first = first;
  }

  @Override
  public boolean next() {
    if (read >= count) {
      return false;
    }
    if (read == 0) {
      timestamp = first;
      valueBits = readBits(64);
    } else {
      if (read == 1) {
        delta = readUnsignedVarint();
      } else {
        delta += readDeltaOfDelta();
      }
      timestamp += delta;
      readValue();
    }
    read++;
    return true;
  }

  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(valueBits);
  }

  /** Decodes the remaining samples, leaving the state after the last one. */
  void readAll() {
    while (read < count) {
      next();
    }
  }

  long bitPosition() {
    return bitPos;
  }

  long delta() {
    return delta;
  }

  long valueBits() {
    return valueBits;
  }

  int leading() {
    return leading;
  }

  int trailing() {
    return trailing;
  }

  private long readUnsignedVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = (int) readBits(8);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw corrupt("timestamp delta varint longer than 10 bytes");
  }

  private long readDeltaOfDelta() {
    int[] widths = XorChunkEncoder.DOD_BITS;
    int bucket = 0;
    while (bucket <= widths.length && readBit() == 1) {
      bucket++;
    }
    if (bucket == 0) {
      return 0;
    }
    if (bucket > widths.length) {
      return readBits(64);
    }
    int width = widths[bucket - 1];
    long bits = readBits(width);
    // Two's complement in 'width' bits, biased one up: the range is -(2^(w-1) - 1) .. 2^(w-1).
    return bits > (1L << (width - 1)) ? bits - (1L << width) : bits;
  }

  private void readValue() {
    if (readBit() == 0) {
      return;
    }
    if (readBit() == 0) {
      if (leading == XorChunkEncoder.NO_WINDOW) {
        throw corrupt("value reuses a window before any was set");
      }
    } else {
      leading = (int) readBits(5);
      int significant = (int) readBits(6);
      if (significant == 0) {
        significant = 64;
      }
      trailing = 64 - leading - significant;
      if (trailing < 0) {
        throw corrupt("value window of " + leading + " + " + significant + " bits");
      }
    }
    valueBits ^= readBits(64 - leading - trailing) << trailing;
  }

  private int readBit() {
    if (bitPos >= endBit) {
      throw corrupt("bit stream ends");
    }
    int bit = (data[(int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1;
    bitPos++;
    return bit;
  }

  /** Reads {@code n} (0 to 64) bits, most significant first. */
  private long readBits(int n) {
    if (n > endBit - bitPos) {
      throw corrupt("bit stream ends");
    }
    if (n == 0) {
      return 0;
    }
    int index = (int) (bitPos >>> 3);
    int offset = (int) (bitPos & 7);
    bitPos += n;
    if (index + Long.BYTES <= data.length) {
      // One 8-byte load holds 64 - offset of the bits; at most 7 more come from the next byte.
      long word = (long) BIG_ENDIAN_LONG.get(data, index) << offset;
      long value = word >>> (64 - n);
      int missing = n - (64 - offset);
      if (missing > 0) {
        value |= (data[index + Long.BYTES] & 0xFF) >>> (8 - missing);
      }
      return value;
    }
    long value = 0;
    int remaining = n;
    while (remaining > 0) {
      int available = 8 - offset;
      int take = Math.min(available, remaining);
      int bits = ((data[index] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      remaining -= take;
      index++;
      offset = 0;
    }
    return value;
  }

  private IllegalStateException corrupt(String what) {
    return new IllegalStateException(
        "corrupt XOR chunk at sample " + read + " of " + count + ": " + what);
  }
}
