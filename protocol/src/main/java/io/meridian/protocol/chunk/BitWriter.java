package io.meridian.protocol.chunk;

import java.util.Arrays;

/** A growable bit stream, most significant bit first, for encoding decimal chunks. */
final class BitWriter {

  private byte[] buffer;
  private long bitPos;

  BitWriter(int initialBytes) {
    buffer = new byte[Math.max(16, initialBytes)];
  }

  /** Writes the low {@code n} (0 to 64) bits of {@code value}, most significant first. */
  void writeBits(long value, int n) {
    ensureCapacity(bitPos + n);
    while (n > 0) {
      int index = (int) (bitPos >>> 3);
      int free = 8 - (int) (bitPos & 7);
      int take = Math.min(free, n);
      int bits = (int) (value >>> (n - take)) & ((1 << take) - 1);
      buffer[index] |= (byte) (bits << (free - take));
      bitPos += take;
      n -= take;
    }
  }

  /** Writes an unsigned LEB128 varint in 8-bit groups (byte-aligned only if the writer is). */
  void writeUnsignedVarint(long value) {
    while ((value & ~0x7FL) != 0) {
      writeBits((value & 0x7F) | 0x80, 8);
      value >>>= 7;
    }
    writeBits(value, 8);
  }

  /** Pads with zero bits to a whole byte. */
  void alignToByte() {
    bitPos = (bitPos + 7) & ~7L;
    ensureCapacity(bitPos);
  }

  long bitLength() {
    return bitPos;
  }

  /** The bytes written so far, the last one zero-padded. */
  byte[] toByteArray() {
    return Arrays.copyOf(buffer, (int) ((bitPos + 7) >>> 3));
  }

  private void ensureCapacity(long bits) {
    if (bits <= buffer.length * 8L) {
      return;
    }
    if (bits > (Integer.MAX_VALUE - 16) * 8L) {
      throw new IllegalStateException("chunk too large: " + bits + " bits");
    }
    int needed = (int) ((bits + 7) >>> 3);
    long grown = buffer.length * 2L;
    buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(needed, grown), Integer.MAX_VALUE - 16));
  }
}
