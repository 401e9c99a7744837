package io.meridian.node.snapshot;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.zip.CRC32C;

/**
 * Splitting a serialized snapshot into parts of bounded size, and putting it together again from
 * parts read in any order. Part 0 of a stored snapshot is its {@link SnapshotHeader}; parts 1 to
 * {@code n} hold its bytes, each {@code partSize} long but the last.
 */
public final class SnapshotParts {

  /**
   * The largest part size: half of the largest mutation Cassandra accepts with its default commit
   * log segments (32 MiB / 2 = 16 MiB), so a part with its row overhead always fits.
   */
  public static final int MAX_PART_SIZE = 8 * 1024 * 1024;

  private SnapshotParts() {}

  /** Number of parts that {@code size} bytes take in parts of {@code partSize}. */
  public static int count(int size, int partSize) {
    if (size < 0 || partSize < 1) {
      throw new IllegalArgumentException("size " + size + " and part size " + partSize);
    }
    return (int) (((long) size + partSize - 1) / partSize);
  }

  /** Length of part {@code part} (1-based) of {@code size} bytes in parts of {@code partSize}. */
  public static int length(int size, int partSize, int part) {
    int parts = count(size, partSize);
    if (part < 1 || part > parts) {
      throw new IllegalArgumentException("part " + part + " of " + parts);
    }
    return (int) Math.min(partSize, size - (long) (part - 1) * partSize);
  }

  /**
   * Part {@code part} (1-based) of {@code data} in parts of {@code partSize}: a view of {@code
   * data}, not a copy.
   */
  public static ByteBuffer part(byte[] data, int partSize, int part) {
    int length = length(data.length, partSize, part);
    return ByteBuffer.wrap(data, (part - 1) * partSize, length).slice();
  }

  /** CRC32C of {@code data}, which the header records and loading checks. */
  public static int checksum(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length);
    return (int) crc.getValue();
  }

  /**
   * The bytes of one snapshot being put together from its parts, which may arrive in any order and
   * from several threads. {@link #finish} returns them once every part arrived and they match the
   * header; anything else is an {@link IncompleteSnapshotException}.
   */
  public static final class Assembly {

    private final SnapshotHeader header;
    private final byte[] data;
    private final BitSet received;

    public Assembly(SnapshotHeader header) {
      this.header = header;
      this.data = new byte[header.size()];
      this.received = new BitSet(header.parts() + 1);
    }

    /**
     * Copies part {@code part}'s bytes into place.
     *
     * @throws IncompleteSnapshotException if the part is not one of the header's, came before or
     *     does not have the length the header implies
     */
    public synchronized void add(int part, ByteBuffer bytes) {
      int parts = header.parts();
      if (part < 1 || part > parts) {
        throw new IncompleteSnapshotException(
            describe() + " has no part " + part + " (it has parts 1 to " + parts + ")");
      }
      int expected = length(header.size(), header.partSize(), part);
      int actual = bytes == null ? 0 : bytes.remaining();
      if (actual != expected) {
        throw new IncompleteSnapshotException(
            describe() + ": part " + part + " has " + actual + " bytes, not " + expected);
      }
      if (received.get(part)) {
        throw new IncompleteSnapshotException(describe() + ": part " + part + " came twice");
      }
      bytes.duplicate().get(data, (part - 1) * header.partSize(), expected);
      received.set(part);
    }

    /**
     * The snapshot's bytes.
     *
     * @throws IncompleteSnapshotException if a part is missing or the bytes do not have the
     *     header's checksum (parts of two saves of the same sequence number, say)
     */
    public synchronized byte[] finish() {
      int parts = header.parts();
      int missing = received.nextClearBit(1);
      if (missing <= parts) {
        throw new IncompleteSnapshotException(
            describe() + " lacks part " + missing + " of " + parts);
      }
      int checksum = checksum(data);
      if (checksum != header.checksum()) {
        throw new IncompleteSnapshotException(
            describe()
                + " has checksum "
                + Integer.toHexString(checksum)
                + ", not "
                + Integer.toHexString(header.checksum()));
      }
      return data;
    }

    private String describe() {
      return "Snapshot " + header.sequenceNr() + " (" + header.size() + " bytes)";
    }
  }
}
