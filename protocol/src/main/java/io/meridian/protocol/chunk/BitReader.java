package io.meridian.protocol.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a bit stream written by {@link BitWriter} from a slice of a byte array, in place. Reading
 * past the slice means the chunk is corrupt and throws {@link IllegalStateException}.
 */
final class BitReader {

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] data;
  private final long endBit;
  private final String what;
  private long bitPos;

  /**
   * @param data holds the stream
   * @param start byte offset of the first bit
   * @param end byte offset just past the stream
   * @param what names the stream in error messages
   */
  BitReader(byte[] data, int start, int end, String what) {
    this.data = data;
    this.bitPos = start * 8L;
    this.endBit = end * 8L;
    this.what = what;
  }

  /** Reads {@code n} (0 to 64) bits, most significant first. */
  long readBits(int n) {
    if (n > endBit - bitPos) {
      throw corrupt("ends after " + (bitPos >>> 3) + " bytes");
    }
    if (n == 0) {
      return 0;
    }
    int index = (int) (bitPos >>> 3);
    if (index + Long.BYTES <= data.length) {
      // One 8-byte load holds 64 - offset of the bits; at most 7 more come from the next byte.
      int offset = (int) (bitPos & 7);
      bitPos += n;
      long value = ((long) BIG_ENDIAN_LONG.get(data, index) << offset) >>> (64 - n);
      int missing = n - (64 - offset);
      if (missing > 0) {
        value |= (data[index + Long.BYTES] & 0xFF) >>> (8 - missing);
      }
      return value;
    }
    long value = 0;
    int remaining = n;
    while (remaining > 0) {
      index = (int) (bitPos >>> 3);
      int offset = (int) (bitPos & 7);
      int available = 8 - offset;
      int take = Math.min(available, remaining);
      int bits = ((data[index] & 0xFF) >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      remaining -= take;
      bitPos += take;
    }
    return value;
  }

  /** Reads an unsigned LEB128 varint written by {@link BitWriter#writeUnsignedVarint}. */
  long readUnsignedVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      long b = readBits(8);
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw corrupt("has a varint longer than 10 bytes");
  }

  IllegalStateException corrupt(String problem) {
    return new IllegalStateException("corrupt decimal chunk: " + what + " " + problem);
  }
}
