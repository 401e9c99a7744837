package io.meridian.protocol.chunk;

/**
 * Byte-aligned LEB128 varints, with zigzag for signed values: the chunk header (byte-aligned,
 * unlike the bit stream, so that {@link XorChunk#count()} and the timestamp bounds read in a few
 * byte loads) and other compact binary forms, such as the journal's sample blocks.
 */
public final class Varints {

  private Varints() {}

  /** Writes {@code value} as an unsigned varint at {@code pos}; returns the position after it. */
  public static int writeUnsigned(byte[] out, int pos, long value) {
    while ((value & ~0x7FL) != 0) {
      out[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  /** Bytes {@code value} takes as an unsigned varint. */
  public static int unsignedLength(long value) {
    int length = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      length++;
    }
    return length;
  }

  /** A signed value as an unsigned one that is small when the value is near zero. */
  public static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  /** The inverse of {@link #zigZag}. */
  public static long unZigZag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }

  /**
   * Reads the unsigned varint at {@code pos}; returns its value and stores the position after it in
   * {@code next[0]}.
   *
   * @throws IllegalArgumentException if the varint runs past {@code data} or is longer than 10
   *     bytes
   */
  public static long readUnsigned(byte[] data, int pos, int[] next) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= data.length) {
        throw new IllegalArgumentException("varint truncated at byte " + pos);
      }
      byte b = data[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        next[0] = pos;
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  /** Position just after the varint starting at {@code pos} (which must be well-formed). */
  public static int skip(byte[] data, int pos) {
    int last = pos;
    while (data[last] < 0) {
      last++;
    }
    return last + 1;
  }

  /** Value of the well-formed unsigned varint at {@code pos}. */
  public static long read(byte[] data, int pos) {
    long value = 0;
    int shift = 0;
    byte b;
    do {
      b = data[pos++];
      value |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return value;
  }
}
