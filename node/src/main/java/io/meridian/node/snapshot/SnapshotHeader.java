package io.meridian.node.snapshot;

import java.util.Objects;

/**
 * What part 0 of a stored snapshot records about the snapshot: its sequence number and time, the
 * serializer that wrote it, and the size, part size and checksum of its serialized bytes, which
 * parts 1 to {@link #parts()} hold. Loading reads the parts this names and checks them against it
 * (see {@link SnapshotParts.Assembly}).
 *
 * @param size length of the serialized snapshot in bytes
 * @param partSize length of every part but the last, which holds the rest (the part size the
 *     snapshot was saved with, not necessarily the configured one)
 * @param checksum CRC32C of the serialized snapshot
 * @param meta the snapshot's serialized metadata ({@code SnapshotMetadata.metadata}), or null
 */
public record SnapshotHeader(
    long sequenceNr,
    long timestamp,
    int size,
    int partSize,
    int checksum,
    int serializerId,
    String manifest,
    Serialized meta) {

  public SnapshotHeader {
    Objects.requireNonNull(manifest, "manifest");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    if (partSize < 1) {
      throw new IllegalArgumentException("part size must be positive: " + partSize);
    }
  }

  /** Number of data parts, numbered 1 to this. */
  public int parts() {
    return SnapshotParts.count(size, partSize);
  }
}
